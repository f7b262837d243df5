/** Who is connected to a room now (ListRoomUsers; the presence port answers it). */

/** One user connected to a room now. */
export interface PresentUser {
  readonly userId: string;
  /** The attributes of the user's most recent connection's token. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Open connections of the user to the room, on every node. */
  readonly connections: number;
  /** Epoch ms: when the user's earliest open connection opened. */
  readonly connectTime: number;
}

export interface RoomPresence {
  /** Ordered by userId (code-unit order). */
  readonly users: readonly PresentUser[];
  readonly totalUsers: number;
  readonly totalConnections: number;
}
