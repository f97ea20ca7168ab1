package pulse.store;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import pulse.testing.StoreBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pulse.api.Transactions.Work;

@ParameterizedClass
@EnumSource(StoreBackend.class)
class GroupCommitTest {
  @Parameter StoreBackend backend;
  private static final ContextKey<String> CALLER = ContextKey.named("caller");
  @TempDir Path dir;
  private Database db;
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeEach
  void open() throws SQLException {
    db = backend.open(dir);
    db.migrate(); // on PostgreSQL this makes the test's schema
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, caller VARCHAR(40))");
    }
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    db.close();
  }

  private static Work<Integer> insert(long id, String caller) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, caller) VALUES (?, ?)")) {
        ps.setLong(1, id);
        ps.setString(2, caller);
        return ps.executeUpdate();
      }
    };
  }

  private List<Long> ids() throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM t ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void callersArrivingTogetherShareCommitsAndEachReturnsOnceItsRowIsCommitted() throws Exception {
    GroupCommit gc = new GroupCommit(db.dataSource());
    int callers = 64;
    CyclicBarrier together = new CyclicBarrier(callers);
    List<Future<List<Long>>> seen = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      long id = i;
      seen.add(pool.submit(() -> {
        together.await(10, TimeUnit.SECONDS);
        gc.inTransaction(insert(id, "c" + id));
        return ids(); // read on a connection of its own, right after the call returned
      }));
    }
    for (int i = 0; i < callers; i++) {
      assertThat(seen.get(i).get(30, TimeUnit.SECONDS)).as("caller %d sees its own row", i).contains((long) i);
    }
    assertThat(ids()).hasSize(callers);
    assertThat(gc.groupsCommitted()).as("commits for %d callers", callers).isLessThan(callers).isPositive();
  }

  @Test
  void aFailingWorkRollsBackOnlyItselfAndItsCallerGetsTheError() throws Exception {
    GroupCommit gc = new GroupCommit(db.dataSource());
    gc.inTransaction(insert(1, "first"));
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // The blocker holds the lock inside its work, so the next two queue up and share one group.
    Future<Integer> blocker = pool.submit(() -> gc.inTransaction(c -> {
      inside.countDown();
      awaitQuietly(release);
      return insert(2, "blocker").run(c);
    }));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    Future<Integer> duplicate = pool.submit(() -> gc.inTransaction(c -> {
      insert(3, "duplicate").run(c); // its own change before it fails: must be undone with it
      return insert(1, "duplicate").run(c);
    }));
    Future<Integer> fine = pool.submit(() -> gc.inTransaction(insert(4, "fine")));
    Thread.sleep(200); // both queued behind the blocker
    release.countDown();
    assertThat(blocker.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(fine.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThatThrownBy(() -> duplicate.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
    assertThat(ids()).containsExactly(1L, 2L, 4L);
  }

  @Test
  void eachWorkRunsInItsCallersTraceContextWhoeverCommitsIt() throws Exception {
    GroupCommit gc = new GroupCommit(db.dataSource());
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> blocker = pool.submit(() -> gc.inTransaction(c -> {
      inside.countDown();
      awaitQuietly(release);
      return "blocker";
    }));
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<String[]>> callers = new ArrayList<>();
    for (String name : List.of("alpha", "beta", "gamma")) {
      callers.add(pool.submit(() -> {
        try (Scope ignored = Context.current().with(CALLER, name).makeCurrent()) {
          return gc.inTransaction(c -> new String[] {name, Context.current().get(CALLER), Thread.currentThread().getName()});
        }
      }));
    }
    Thread.sleep(200);
    release.countDown();
    blocker.get(10, TimeUnit.SECONDS);
    Set<String> threads = new HashSet<>();
    for (Future<String[]> f : callers) {
      String[] r = f.get(10, TimeUnit.SECONDS);
      assertThat(r[1]).as("context seen by the work of %s", r[0]).isEqualTo(r[0]);
      threads.add(r[2]);
    }
    assertThat(threads).as("one leader ran the queued works").hasSizeLessThan(3);
  }

  @Test
  void aFailedCommitFailsEveryCallerOfTheGroupAndStoresNothing() throws Exception {
    DataSource real = db.dataSource();
    DataSource failingCommit = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, m, args) -> {
          Object out = m.invoke(real, args);
          if (!m.getName().equals("getConnection")) {
            return out;
          }
          Connection c = (Connection) out;
          return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p2, m2, a2) -> {
            if (m2.getName().equals("commit")) {
              throw new SQLException("disk full (simulated)");
            }
            return m2.invoke(c, a2);
          });
        });
    GroupCommit gc = new GroupCommit(failingCommit);
    assertThatThrownBy(() -> gc.inTransaction(insert(9, "lost"))).isInstanceOf(SQLException.class).hasMessageContaining("disk full");
    assertThat(ids()).isEmpty();
    // and the connection went back to the pool usable, in auto-commit
    try (Connection c = real.getConnection()) {
      assertThat(c.getAutoCommit()).isTrue();
    }
  }
}
