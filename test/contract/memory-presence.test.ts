import { MemoryPresence, PresenceBoard } from '../../src/presence/memory-presence.js';
import { presenceContract } from './presence.contract.js';

presenceContract('MemoryPresence', async () => {
  const board = new PresenceBoard();
  const a = new MemoryPresence(board);
  const b = new MemoryPresence(board);
  return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
});
