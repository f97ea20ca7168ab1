package pulse.api.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Leases on names rather than rows, for work one node at a time must do (deliver the outbox, run a
 * rollout of one tenant): a row of {@code pulse_leases} per held name. Acquiring is one guarded
 * update (the holder itself, or anyone once the lease ran out), else an insert that the name's
 * primary key makes lose against a concurrent one.
 */
public final class NamedLeases {
  private static final String TABLE = "pulse_leases";
  private final Store store;

  private NamedLeases(Store store) {
    this.store = store;
  }

  public static NamedLeases on(Store store) {
    return new NamedLeases(store);
  }

  /** Who holds a name, since when, and until when. */
  public record Holder(String name, String owner, Instant acquiredAt, Instant until) {}

  /**
   * Takes {@code name} for {@code owner} until {@code until}, if it is free, ran out before {@code
   * now}, or is already {@code owner}'s (then it is extended). True if {@code owner} holds it now.
   */
  public boolean acquire(String name, String owner, Instant until, Instant now) {
    int n = store.update("UPDATE " + TABLE + " SET acquired_at = CASE WHEN owner = ? THEN acquired_at ELSE ? END,"
        + " owner = ?, until_at = ? WHERE name = ? AND (owner = ? OR until_at < ?)", owner, now, owner, until, name, owner, now);
    if (n == 1) {
      return true;
    }
    try {
      store.update("INSERT INTO " + TABLE + " (name, owner, acquired_at, until_at) VALUES (?, ?, ?, ?)", name, owner, now, until);
      return true;
    } catch (StoreException e) {
      if (e.getCause() instanceof java.sql.SQLException s && store.dialect().isDuplicateKey(s)) {
        return false; // held by someone else, or a concurrent acquire won
      }
      throw e;
    }
  }

  /** Extends {@code owner}'s lease on {@code name}; false if someone else holds it now. */
  public boolean renew(String name, String owner, Instant until) {
    return store.update("UPDATE " + TABLE + " SET until_at = ? WHERE name = ? AND owner = ?", until, name, owner) == 1;
  }

  /** Lets {@code name} go, if {@code owner} holds it. */
  public boolean release(String name, String owner) {
    return store.update("DELETE FROM " + TABLE + " WHERE name = ? AND owner = ?", name, owner) == 1;
  }

  /** The holder of {@code name} at {@code now}, if a lease on it has not run out. */
  public Optional<Holder> holder(String name, Instant now) {
    return store.one("SELECT name, owner, acquired_at, until_at FROM " + TABLE + " WHERE name = ? AND until_at >= ?",
        r -> new Holder(r.string("name"), r.string("owner"), r.instant("acquired_at"), r.instant("until_at")), name, now);
  }

  /** Drops leases that ran out before {@code now}; how many. */
  public int dropExpired(Instant now) {
    return store.update("DELETE FROM " + TABLE + " WHERE until_at < ?", now);
  }
}
