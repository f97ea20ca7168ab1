package pulse.notify;

import pulse.api.store.Sql;
import pulse.api.store.Store;
import pulse.api.store.Text;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns results (job runs, health checks) into alerts. Each result updates its source's streak in one
 * transaction, together with the alert it opens or resolves and the notifications that causes, which
 * go to the outbox: nothing here touches the network, so a result is recorded in milliseconds.
 *
 * <p>Rules: an alert opens after N consecutive failures and resolves on the first success. The K-th
 * alert of one source within the flap window is flapping: it resolves only once the source has had no
 * failure for a whole window. A silenced source still gets its alerts recorded, without notifications.
 */
final class AlertEngine {
  private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);

  private final Store store;
  private final AlertConfig config;
  private final Clock clock;
  private final Runnable wake;

  AlertEngine(Store store, AlertConfig config, Clock clock, Runnable wake) {
    this.store = store;
    this.config = config;
    this.clock = clock;
    this.wake = wake;
  }

  /**
   * Records one result. Results of one source must not interleave their streak updates: every write
   * of the engine is a {@link Store#grouped} work, and those run one after another.
   */
  void record(String source, boolean ok, String error, Instant at, String traceId) {
    record(source, ok, error, at, traceId, 0);
  }

  /** As {@link #record(String, boolean, String, Instant, String)}, with the source family's threshold (0: the default). */
  void record(String source, boolean ok, String error, Instant at, String traceId, int failuresToAlert) {
    Instant now = clock.instant();
    Instant when = at == null ? now : at;
    boolean queued = store.grouped("record an alert event",
        c -> ok ? success(c, source, now) : failure(c, source, error, when, traceId, now, failuresToAlert));
    if (queued) {
      wake.run();
    }
  }

  private boolean failure(Sql c, String source, String error, Instant at, String traceId, Instant now,
      int failuresToAlert) throws SQLException {
    SourceState s = AlertStore.source(c, source).orElseGet(() -> SourceState.fresh(source, now));
    int failures = s.failures() + 1;
    Instant since = s.failures() == 0 || s.failingSince() == null ? at : s.failingSince();
    Long open = s.openAlertId();
    boolean queued = false;
    if (open != null) {
      Optional<Alert> a = AlertStore.alert(c, open);
      if (a.isPresent() && a.get().isOpen()) {
        Alert x = a.get();
        AlertStore.update(c, new Alert(x.id(), x.source(), x.state(), x.failingSince(), x.openedAt(), null, error, traceId,
            x.failureCount() + 1, x.flapping(), x.announced(), x.lastNotifiedAt()));
      } else {
        open = null;
      }
    }
    if (open == null && failures >= config.threshold(source, failuresToAlert)) {
      boolean flapping = config.flapCount() > 0
          && AlertStore.openedSince(c, source, now.minus(config.flapWindow())) >= config.flapCount() - 1;
      boolean silenced = AlertStore.silenced(c, source, now);
      open = AlertStore.open(c, source, since, now, error, traceId, failures, flapping, !silenced);
      Alert a = AlertStore.alert(c, open).orElseThrow();
      if (silenced) {
        log.warn("Alert {} opened: {} failed {} times in a row (silenced: no notification). Last error: {}",
            open, Sources.describe(source), failures, error);
      } else {
        log.warn("Alert {} opened: {} failed {} times in a row{}. Last error: {}", open, Sources.describe(source), failures,
            flapping ? " (flapping)" : "", error);
        queued = notify(c, Messages.Kind.OPENED, a, now);
      }
    }
    AlertStore.save(c, new SourceState(source, failures, 0, since, at, error, traceId, now, open));
    return queued;
  }

  private boolean success(Sql c, String source, Instant now) throws SQLException {
    SourceState s = AlertStore.source(c, source).orElseGet(() -> SourceState.fresh(source, now));
    Long open = s.openAlertId();
    boolean queued = false;
    SourceState next = new SourceState(source, 0, s.successes() + 1, null, s.lastFailureAt(), s.lastError(),
        s.lastTraceId(), now, open);
    if (open != null) {
      Optional<Alert> a = AlertStore.alert(c, open);
      if (a.isEmpty() || !a.get().isOpen()) {
        open = null;
      } else if (!a.get().flapping() || stable(next, now)) {
        queued = resolve(c, a.get(), now);
        open = null;
      }
    }
    AlertStore.save(c, new SourceState(source, 0, next.successes(), null, next.lastFailureAt(), next.lastError(),
        next.lastTraceId(), now, open));
    return queued;
  }

  /** A flapping source is stable once it succeeded and had no failure for a whole flap window. */
  private boolean stable(SourceState s, Instant now) {
    return s.failures() == 0 && s.successes() > 0
        && (s.lastFailureAt() == null || !s.lastFailureAt().plus(config.flapWindow()).isAfter(now));
  }

  private boolean resolve(Sql c, Alert a, Instant now) throws SQLException {
    boolean silenced = AlertStore.silenced(c, a.source(), now);
    boolean tell = a.announced() && !silenced;
    Alert r = new Alert(a.id(), a.source(), Alert.RESOLVED, a.failingSince(), a.openedAt(), now, a.lastError(),
        a.lastTraceId(), a.failureCount(), a.flapping(), a.announced(), tell ? now : a.lastNotifiedAt());
    AlertStore.update(c, r);
    log.info("Alert {} resolved: {} is healthy again after {} failure(s){}", a.id(), Sources.describe(a.source()),
        a.failureCount(), tell ? "" : a.announced() ? " (silenced: no notification)" : " (it was never notified)");
    return tell && notify(c, Messages.Kind.RESOLVED, r, now);
  }

  /**
   * Periodic work: the opening of an alert whose silence ended, reminders, and the resolution of a
   * flapping alert whose source has been quiet for a whole window (no result needs to arrive for it).
   */
  void tick() {
    Instant now = clock.instant();
    boolean queued = store.grouped("record an alert event", c -> {
      boolean any = false;
      for (Alert a : AlertStore.open(c)) {
        boolean silenced = AlertStore.silenced(c, a.source(), now);
        if (a.flapping()) {
          Optional<SourceState> s = AlertStore.source(c, a.source());
          if (s.isPresent() && stable(s.get(), now)) {
            any |= resolve(c, a, now);
            SourceState x = s.get();
            AlertStore.save(c, new SourceState(x.source(), x.failures(), x.successes(), x.failingSince(), x.lastFailureAt(),
                x.lastError(), x.lastTraceId(), x.lastEventAt(), null));
            continue;
          }
        }
        if (silenced) {
          continue;
        }
        Messages.Kind kind = null;
        if (!a.announced()) {
          kind = Messages.Kind.OPENED;
        } else if (config.remind().isPresent() && a.lastNotifiedAt() != null
            && !a.lastNotifiedAt().plus(config.remind().get()).isAfter(now)) {
          kind = Messages.Kind.REMINDER;
        }
        if (kind != null) {
          Alert n = new Alert(a.id(), a.source(), a.state(), a.failingSince(), a.openedAt(), null, a.lastError(),
              a.lastTraceId(), a.failureCount(), a.flapping(), true, now);
          AlertStore.update(c, n);
          any |= notify(c, kind, n, now);
        }
      }
      return any;
    });
    if (queued) {
      wake.run();
    }
  }

  /** Queues one notification per configured channel; false when none is configured. */
  private boolean notify(Sql c, Messages.Kind kind, Alert a, Instant now) throws SQLException {
    boolean any = false;
    if (config.telegram().isPresent()) {
      OutboxStore.enqueue(c, Channels.TELEGRAM, Channels.TELEGRAM, Messages.telegram(Messages.text(kind, a, config, now)), now);
      any = true;
    }
    if (config.webhook().isPresent()) {
      OutboxStore.enqueue(c, Channels.WEBHOOK, Channels.WEBHOOK, Messages.webhook(kind, a, config, now), now);
      any = true;
    }
    return any;
  }

  /** Queues a family's notice for every configured channel, in the same lanes as alerts (one order per channel). */
  boolean notice(pulse.api.Notice n) {
    Instant now = clock.instant();
    boolean queued = store.grouped("queue a notification", c -> {
      boolean any = false;
      if (config.telegram().isPresent()) {
        OutboxStore.enqueue(c, Channels.TELEGRAM, Channels.TELEGRAM, Messages.telegram(n.text()), now);
        any = true;
      }
      if (config.webhook().isPresent()) {
        OutboxStore.enqueue(c, Channels.WEBHOOK, Channels.WEBHOOK, Messages.notice(n, config, now), now);
        any = true;
      }
      return any;
    });
    if (queued) {
      wake.run();
    }
    return queued;
  }

  /** Queues a healthchecks.io-style ping for a job, if it has a ping URL. */
  void ping(String jobId, String suffix, String body) {
    config.pingUrl(jobId).ifPresent(url -> {
      Instant now = clock.instant();
      store.grouped("record an alert event", c -> OutboxStore.enqueue(c, Channels.PING, Channels.PING + ":" + jobId,
          Messages.ping(url + suffix, body == null ? "" : Text.head(body, PING_BODY_MAX)), now));
      wake.run();
    });
  }

  /** healthchecks.io keeps the first 100 kB of a ping body; the output tail is far shorter anyway. */
  static final int PING_BODY_MAX = 10_000;
}
