package dev.slipway.cli;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;

/** Two clients sending GETs through the router back to back, keeping every failure. */
final class RouterLoad implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong succeeded = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();

    static RouterLoad start(int routerPort, String host) {
        RouterLoad load = new RouterLoad();
        for (int i = 0; i < 2; i++) {
            Thread client = new Thread(() -> load.send(routerPort, host), "load-" + i);
            client.setDaemon(true);
            load.clients.add(client);
            client.start();
        }
        return load;
    }

    private void send(int routerPort, String host) {
        while (running.get()) {
            try {
                HttpResponse<String> response = TestHttp.viaRouter(routerPort, host);
                if (response.statusCode() == 200) {
                    succeeded.incrementAndGet();
                } else {
                    failures.add(response.statusCode() + " " + response.body());
                }
            } catch (Exception e) {
                failures.add(e.toString());
            }
        }
    }

    /** Waits until {@code count} more requests have succeeded. */
    void awaitMore(long count) {
        long target = succeeded.get() + count;
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> succeeded.get() >= target);
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread client : clients) {
            client.join(15_000);
        }
    }
}
