package dev.slipway.router.proxy;

import io.vertx.core.Vertx;

/**
 * The timeouts of one event loop's requests to apps, Heroku's H12 (no answer started within the
 * request timeout) and H15 (an answer that stopped for the idle window), kept by one timer per loop
 * that looks at the requests in flight a few times per window, instead of one timer per request:
 * a Vert.x timer is a task in Netty's queue plus an entry in a map shared by every thread, set and
 * cancelled for each of thousands of requests a second. A request times out between its window and
 * a quarter of a window (at most a second) later. Used on its event loop only.
 */
final class Deadlines {
    /** A request watched: linked into its loop's list while it waits for or relays an answer. */
    abstract static class Watched {
        private Watched previous;
        private Watched next;
        private boolean listed;
        /** When the window started again last ({@link System#nanoTime}). */
        long lastActivity;
        /** The window, in nanoseconds: the request timeout, then the idle window. */
        long window;
        /** A pause the router made itself (the client reads slowly): the window waits. */
        boolean held;

        /** The window passed: this request is no longer watched. */
        abstract void expired();
    }

    /** Runs a task once after a delay, on the loop whose requests are watched. */
    @FunctionalInterface
    interface Scheduler {
        void schedule(long delayMillis, Runnable task);
    }

    private final Scheduler scheduler;
    private final long periodMillis;
    private Watched head;
    private boolean scheduled;

    /** {@code shortestWindowMillis}: the shortest window to keep, which sets how often the list is looked at. */
    Deadlines(Vertx vertx, long shortestWindowMillis) {
        this((delay, task) -> vertx.setTimer(delay, id -> task.run()), shortestWindowMillis);
    }

    /** As above, on any loop: the Netty data path schedules on its own event loop. */
    Deadlines(Scheduler scheduler, long shortestWindowMillis) {
        this.scheduler = scheduler;
        this.periodMillis = Math.max(5, Math.min(1000, shortestWindowMillis / 4));
    }

    /** Watches {@code watched} with a window of {@code windowMillis} from now (again, if it was watched already). */
    void watch(Watched watched, long windowMillis) {
        watched.window = windowMillis * 1_000_000L;
        watched.lastActivity = System.nanoTime();
        watched.held = false;
        if (watched.listed) {
            return;
        }
        watched.listed = true;
        watched.previous = null;
        watched.next = head;
        if (head != null) {
            head.previous = watched;
        }
        head = watched;
        if (!scheduled) {
            scheduled = true;
            scheduler.schedule(periodMillis, this::sweep);
        }
    }

    /** Stops watching {@code watched}; nothing when it was not watched. */
    void forget(Watched watched) {
        if (!watched.listed) {
            return;
        }
        watched.listed = false;
        if (watched.previous != null) {
            watched.previous.next = watched.next;
        } else {
            head = watched.next;
        }
        if (watched.next != null) {
            watched.next.previous = watched.previous;
        }
        watched.previous = null;
        watched.next = null;
    }

    private void sweep() {
        scheduled = false;
        long now = System.nanoTime();
        Watched watched = head;
        while (watched != null) {
            Watched next = watched.next;
            if (!watched.held && now - watched.lastActivity >= watched.window) {
                forget(watched);
                watched.expired();
            }
            watched = next;
        }
        if (head != null && !scheduled) {
            scheduled = true;
            scheduler.schedule(periodMillis, this::sweep);
        }
    }
}
