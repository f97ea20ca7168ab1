package pulse.api.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Leases on the rows of one table: a row belongs to one owner (a node's id) until an instant, and
 * only that owner may renew or release it; a lease that ran out can be reclaimed by anyone. The
 * prompt queue claims pulses with it; rollouts, the outbox and cluster mode claim their work the
 * same way. Every operation is one guarded statement (or one transaction), so two owners never
 * hold one row, on H2 or on a PostgreSQL shared by many nodes.
 *
 * <p>The table has an id column (a {@code BIGINT}), an owner column (text, NULL when free) and an
 * until column ({@code TIMESTAMP WITH TIME ZONE}, NULL when free).
 */
public final class Leases {
  private final Store store;
  private final String table;
  private final String id;
  private final String owner;
  private final String until;

  private Leases(Store store, String table, String id, String owner, String until) {
    this.store = store;
    this.table = table;
    this.id = id;
    this.owner = owner;
    this.until = until;
  }

  public static Leases on(Store store, String table, String idColumn, String ownerColumn, String untilColumn) {
    return new Leases(store, table, idColumn, ownerColumn, untilColumn);
  }

  /**
   * What to claim: rows matching {@code where} (which must match only free rows, such as {@code
   * status = 'pending'}), taken in {@code orderBy} order, at most {@code limit}; {@code set}
   * changes the claimed rows besides the lease (their status, an attempt count).
   */
  public record Claim(Change where, String orderBy, int limit, Change set) {
    public Claim {
      if (limit < 1) {
        throw new IllegalArgumentException("a claim takes at least one row, not " + limit);
      }
    }
  }

  /**
   * Claims rows for {@code owner} until {@code leaseUntil}, in one transaction, and returns their
   * ids in the claim's order. On PostgreSQL one {@code UPDATE ... WHERE id IN (SELECT ... FOR
   * UPDATE SKIP LOCKED) RETURNING}: concurrent claimers on other nodes skip each other's rows
   * instead of waiting for them. On H2 the same select locks the rows, then an update takes them.
   */
  public List<Long> claim(Claim c, String leaseOwner, Instant leaseUntil) {
    String pick = "SELECT " + id + " FROM " + table + " WHERE " + c.where().sql() + " ORDER BY " + c.orderBy()
        + " FETCH FIRST " + c.limit() + " ROWS ONLY FOR UPDATE SKIP LOCKED";
    String set = owner + " = ?, " + until + " = ?" + (c.set().isEmpty() ? "" : ", " + c.set().sql());
    List<Object> setArgs = new ArrayList<>(List.of(leaseOwner, leaseUntil));
    setArgs.addAll(c.set().args());
    return store.inTransaction("claim rows of " + table, sql -> {
      List<Long> ids;
      if (sql.dialect().claimsWithReturning()) {
        List<Object> args = new ArrayList<>(setArgs);
        args.addAll(c.where().args());
        ids = sql.query("UPDATE " + table + " SET " + set + " WHERE " + id + " IN (" + pick + ") RETURNING " + id,
            r -> r.longValue(1), args.toArray());
        if (ids.size() > 1) { // RETURNING has no order: put the claim's back
          ids = sql.query("SELECT " + id + " FROM " + table + " WHERE " + id + " IN (" + marks(ids.size()) + ") ORDER BY "
              + c.orderBy(), r -> r.longValue(1), ids.toArray());
        }
      } else {
        ids = sql.query(pick, r -> r.longValue(1), c.where().args().toArray());
        List<Object[]> each = new ArrayList<>();
        for (long i : ids) {
          List<Object> args = new ArrayList<>(setArgs);
          args.add(i);
          each.add(args.toArray());
        }
        if (!each.isEmpty()) {
          sql.batch("UPDATE " + table + " SET " + set + " WHERE " + id + " = ?", each);
        }
      }
      return ids;
    });
  }

  /** Extends the lease; false if it is no longer {@code leaseOwner}'s (it ran out and was reclaimed). */
  public boolean renew(long rowId, String leaseOwner, Instant leaseUntil, Change set) {
    return guarded(until + " = ?" + extra(set), prepend(set, leaseUntil), id + " = ? AND " + owner + " = ?", rowId, leaseOwner);
  }

  /** Gives the row up, applying {@code set} (its new status); false if the lease was lost meanwhile. */
  public boolean release(long rowId, String leaseOwner, Change set) {
    return guarded(owner + " = NULL, " + until + " = NULL" + extra(set), set.args(), id + " = ? AND " + owner + " = ?", rowId, leaseOwner);
  }

  /** Rows whose lease ran out before {@code cutoff}, read with {@code columns} through {@code mapper}. */
  public <T> List<T> expired(Instant cutoff, String columns, Row.Mapper<T> mapper) {
    return store.query("SELECT " + columns + " FROM " + table + " WHERE " + owner + " IS NOT NULL AND " + until + " < ?"
        + " ORDER BY " + id, mapper, cutoff);
  }

  /**
   * Takes back a row whose lease ran out before {@code cutoff}, applying {@code set}; false if its
   * owner renewed meanwhile (the guard is the lease still being expired).
   */
  public boolean reclaim(long rowId, Instant cutoff, Change set) {
    return guarded(owner + " = NULL, " + until + " = NULL" + extra(set), set.args(),
        id + " = ? AND " + owner + " IS NOT NULL AND " + until + " < ?", rowId, cutoff);
  }

  private boolean guarded(String set, List<Object> setArgs, String where, Object... whereArgs) {
    List<Object> args = new ArrayList<>(setArgs);
    args.addAll(java.util.Arrays.asList(whereArgs));
    return store.update("UPDATE " + table + " SET " + set + " WHERE " + where, args.toArray()) == 1;
  }

  private static String extra(Change set) {
    return set.isEmpty() ? "" : ", " + set.sql();
  }

  private static List<Object> prepend(Change set, Object first) {
    List<Object> out = new ArrayList<>();
    out.add(first);
    out.addAll(set.args());
    return out;
  }

  private static String marks(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> "?").collect(Collectors.joining(", "));
  }
}
