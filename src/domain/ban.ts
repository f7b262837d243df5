/** A user banned from a room (BanUser): refused at connect and at token minting until it ends. */
export interface Ban {
  readonly roomArn: string;
  readonly userId: string;
  /** Shown to the user when the ban ends their connections (≤ MAX_BAN_REASON_LENGTH characters). */
  readonly reason: string | undefined;
  /** Epoch ms. */
  readonly createTime: number;
  /** Epoch ms at which the ban ends by itself; undefined: until UnbanUser (or the room goes). */
  readonly expireTime: number | undefined;
}

export const MAX_BAN_REASON_LENGTH = 256;
/** The longest durationSeconds of a ban: 365 days. */
export const MAX_BAN_SECONDS = 31_536_000;

/** Whether `ban` still holds at `now` (epoch ms). */
export const banHolds = (ban: Ban, now: number): boolean => ban.expireTime === undefined || ban.expireTime > now;
