package dev.slipway.router;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test with, for each test method, a router on a free {@link #port} in front of one
 * {@link RawBackend} that records every byte: the app {@code hello} (hello.localhost) with its one
 * instance {@code web.1}.
 */
abstract class WithRecordingBackend extends WithRouterScenario {
    RawBackend backend;
    int port;

    @BeforeEach
    void startRouterInFrontOfARecordingBackend() {
        beforeTheRouterStarts();
        backend = new RawBackend("web.1");
        scenario.route("hello", List.of(), backend.endpoint());
        port = scenario.startRouter().port();
    }

    /** What a test class sets on {@link #scenario} before its router starts (its data path, say); nothing here. */
    void beforeTheRouterStarts() {
    }

    @AfterEach
    void stopTheBackend() {
        backend.close();
    }
}
