package dev.slipway.router.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
    private final Vertx vertx = Vertx.vertx();
    private final Context loop = vertx.getOrCreateContext();

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    private static final class Counted extends Deadlines.Watched {
        final AtomicInteger expired = new AtomicInteger();

        @Override
        void expired() {
            expired.incrementAndGet();
        }
    }

    @Test
    void aWatchedRequestExpiresOnceAfterItsWindowAndAForgottenOneNever() {
        Deadlines deadlines = new Deadlines(vertx, 100);
        Counted late = new Counted();
        Counted done = new Counted();
        long start = System.nanoTime();
        loop.runOnContext(v -> {
            deadlines.watch(late, 100);
            deadlines.watch(done, 100);
            deadlines.forget(done);
        });

        await().atMost(Duration.ofSeconds(5)).until(() -> late.expired.get() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> late.expired.get() == 1 && done.expired.get() == 0);
    }

    @Test
    void aRequestTheRouterHoldsDoesNotExpireAndActivityStartsItsWindowAgain() {
        Deadlines deadlines = new Deadlines(vertx, 100);
        Counted held = new Counted();
        Counted busy = new Counted();
        loop.runOnContext(v -> {
            deadlines.watch(held, 100);
            held.held = true;
            deadlines.watch(busy, 100);
            vertx.setPeriodic(30, id -> busy.lastActivity = System.nanoTime());
        });

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> held.expired.get() == 0 && busy.expired.get() == 0);
        loop.runOnContext(v -> held.held = false);
        await().atMost(Duration.ofSeconds(5)).until(() -> held.expired.get() == 1);
        assertThat(busy.expired.get()).isZero();
    }
}
