import { LocalFanOut } from '../../src/fan-out/local-fan-out.js';
import { changeBroadcastContract } from './change-broadcast.contract.js';
import { fanOutContract } from './fan-out.contract.js';

// One process is one node: both "nodes" are the same loopback.
fanOutContract('LocalFanOut', async () => {
  const fanOut = new LocalFanOut();
  return { a: fanOut, b: fanOut, close: () => fanOut.close() };
});

changeBroadcastContract('LocalFanOut', async () => {
  const fanOut = new LocalFanOut();
  return { a: fanOut, b: fanOut, close: () => fanOut.close() };
});
