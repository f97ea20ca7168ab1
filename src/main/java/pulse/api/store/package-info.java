/**
 * The store kit: how every family reads and writes Pulse's database, the same way on the embedded
 * H2 file and on PostgreSQL.
 *
 * <p>Modelled on db-scheduler's {@code JdbcRunner} and {@code JdbcCustomization}: {@link
 * pulse.api.store.Store} runs a statement on a connection of its own (or inside a transaction, or
 * in the daemon's group commit) and turns every {@link java.sql.SQLException} into one {@link
 * pulse.api.store.StoreException} whose message names the table and the fix; {@link
 * pulse.api.store.Sql} does the same on a connection a transaction already holds; {@link
 * pulse.api.store.Row} reads columns with one rule for instants and nulls; {@link
 * pulse.api.store.Dialect} holds the few statements the two databases write differently (upsert,
 * lock-and-fetch); {@link pulse.api.store.Leases} and {@link pulse.api.store.NamedLeases} are the
 * lease primitive that claims work for one owner (a node) at a time.
 *
 * <p>Binding rules, the same for every statement: an {@link java.time.Instant} is stored as a UTC
 * {@code TIMESTAMP WITH TIME ZONE} truncated (never rounded) to microseconds, the precision both
 * databases keep, so a stored time is never later than the real one; a {@code null} argument binds
 * as an untyped SQL NULL, which both databases accept for any column type; text longer than its
 * column is cut with {@link pulse.api.store.Text} before it is bound.
 */
package pulse.api.store;
