package dev.slipway.executor.health;

import static dev.slipway.executor.testing.HealthSpecBuilder.aCommandCheck;
import static dev.slipway.executor.testing.HealthSpecBuilder.aTcpCheck;
import static dev.slipway.executor.testing.HealthSpecBuilder.anHttpCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.executor.health.HealthCheck.Rules;
import dev.slipway.executor.health.HealthCheck.Stage;
import dev.slipway.executor.health.HealthCheck.Verdict;
import dev.slipway.executor.task.HealthSpec;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthCheckTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final int PORT = 31000;
    /** A web instance's http check with the defaults: 60 s to the first pass, then every 10 s, 3 failures. */
    private static final Rules WEB = Rules.of(anHttpCheck("/health").build(), PORT);
    private static final ProbeResult OK = ProbeResult.passed("GET /health answered 200");
    private static final ProbeResult ERROR = ProbeResult.failed("GET /health answered 500");
    private static final ProbeResult REFUSED = ProbeResult.notListening("GET /health: connection refused");

    private HealthCheck check;
    private Verdict verdict;

    // --- scenario ---

    private HealthCheckTest started(Rules rules) {
        check = HealthCheck.start(rules, T0);
        return this;
    }

    private HealthCheckTest probed(ProbeResult result, Duration sinceStart) {
        HealthCheck.Step step = check.after(result, T0.plus(sinceStart));
        check = step.next();
        verdict = step.verdict();
        return this;
    }

    private HealthCheckTest up() {
        return started(WEB).probed(OK, Duration.ofSeconds(2));
    }

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    // --- until the first pass ---

    @Test
    void failuresBeforeTheFirstPassCountForNothingAndProbesComeQuickly() {
        started(WEB).probed(REFUSED, s(1)).probed(ERROR, s(30)).probed(ERROR, Duration.ofMillis(59_999));

        assertThat(verdict).isEqualTo(new Verdict.ProbeAgain(Duration.ofMillis(100)));
        assertThat(check.stage()).isEqualTo(Stage.BOOTING);
    }

    @Test
    void theFirstPassIsHealthyAndTheNextProbeComesAfterTheInterval() {
        started(WEB).probed(REFUSED, s(1)).probed(OK, s(3));

        assertThat(verdict).isEqualTo(new Verdict.Healthy("GET /health answered 200", s(10)));
        assertThat(check.stage()).isEqualTo(Stage.UP);
        assertThat(check.failures()).isZero();
    }

    @Test
    void aWebInstanceThatNeverListenedByTheBootTimeoutFailsWithR10() {
        started(WEB).probed(REFUSED, s(60));

        assertThat(verdict).isEqualTo(new Verdict.BootTimedOut("web process failed to bind to 31000 within 60 s"));
        assertThat(check.stage()).isEqualTo(Stage.OVER);
    }

    @Test
    void aWebInstanceListeningButNotPassingByTheBootTimeoutSaysWhatFailed() {
        started(WEB).probed(ERROR, s(61));

        assertThat(verdict).isEqualTo(new Verdict.BootTimedOut(
                "health check did not pass within 60 s: GET /health answered 500"));
    }

    @Test
    void aTcpCheckKeepsTodaysBootTimeoutAndMessage() {
        Rules tcp = Rules.of(aTcpCheck().bootTimeoutSeconds(1).build(), PORT);
        started(tcp).probed(ProbeResult.notListening("connect to port 31000: connection refused"), s(1));

        assertThat(verdict).isEqualTo(new Verdict.BootTimedOut("web process failed to bind to 31000 within 1 s"));
    }

    @Test
    void withoutAPortTheGracePeriodIsTheDeadline() {
        Rules worker = Rules.of(aCommandCheck("bin/check").build(), 0);
        ProbeResult exited = ProbeResult.failed("command exited 1");

        started(worker).probed(exited, s(299));
        assertThat(verdict).isInstanceOf(Verdict.ProbeAgain.class);

        probed(exited, s(300));
        assertThat(verdict).isEqualTo(new Verdict.BootTimedOut("health check did not pass within 300 s: command exited 1"));
    }

    @Test
    void aPassThatEndsPastTheDeadlineStillCounts() {
        started(WEB).probed(OK, s(65));

        assertThat(verdict).isInstanceOf(Verdict.Healthy.class);
    }

    @Test
    void beforeTheFirstPassAProbeGetsNoMoreThanWhatIsLeftOfTheDeadline() {
        started(WEB);

        assertThat(check.probeTimeout(T0)).isEqualTo(s(5));
        assertThat(check.probeTimeout(T0.plusSeconds(58))).isEqualTo(s(2));
        assertThat(check.probeTimeout(T0.plusSeconds(60))).isEqualTo(HealthCheck.MIN_PROBE_TIMEOUT);
        assertThat(up().check.probeTimeout(T0.plusSeconds(600))).isEqualTo(s(5));
    }

    // --- after it ---

    @Test
    void maxConsecutiveFailuresEndTheInstanceSayingWhatFailed() {
        up().probed(ERROR, s(12)).probed(ERROR, s(22));
        assertThat(verdict).isEqualTo(new Verdict.ProbeAgain(s(10)));
        assertThat(check.failures()).isEqualTo(2);

        probed(ERROR, s(32));

        assertThat(verdict).isEqualTo(new Verdict.Unhealthy("health check failed 3 times: GET /health answered 500"));
        assertThat(check.stage()).isEqualTo(Stage.OVER);
    }

    @Test
    void theMessageNamesTheLastFailure() {
        up().probed(ERROR, s(12)).probed(REFUSED, s(22))
                .probed(ProbeResult.timedOut("GET /health", s(5)), s(37));

        assertThat(verdict).isEqualTo(new Verdict.Unhealthy("health check failed 3 times: GET /health timed out after 5 s"));
    }

    @Test
    void aPassBeforeTheMaximumForgetsTheFailuresAndIsNotReported() {
        up().probed(ERROR, s(12)).probed(ERROR, s(22)).probed(OK, s(32));

        assertThat(verdict).isEqualTo(new Verdict.ProbeAgain(s(10)));
        assertThat(check.failures()).isZero();

        probed(ERROR, s(42)).probed(ERROR, s(52));
        assertThat(verdict).isInstanceOf(Verdict.ProbeAgain.class);
        probed(ERROR, s(62));
        assertThat(verdict).isInstanceOf(Verdict.Unhealthy.class);
    }

    @Test
    void oneAllowedFailureEndsItAtOnce() {
        Rules strict = Rules.of(anHttpCheck("/").maxConsecutiveFailures(1).build(), PORT);
        started(strict).probed(OK, s(1)).probed(ERROR, s(11));

        assertThat(verdict).isEqualTo(new Verdict.Unhealthy("health check failed 1 time: GET /health answered 500"));
    }

    @Test
    void aCheckThatIsOverTakesNoMoreResults() {
        started(WEB).probed(REFUSED, s(60));

        assertThatThrownBy(() -> check.after(OK, T0.plusSeconds(61))).isInstanceOf(IllegalStateException.class);
    }

    // --- rules from the spec ---

    @Test
    void theRulesComeFromTheSpecWithAQuickCadenceUntilTheFirstPass() {
        HealthSpec http = anHttpCheck("/").bootTimeoutSeconds(30).gracePeriodSeconds(90).intervalSeconds(7)
                .timeoutSeconds(2).maxConsecutiveFailures(4).build();

        assertThat(Rules.of(http, PORT)).isEqualTo(new Rules(s(30), Duration.ofMillis(100), s(7), s(2), 4, PORT));
        assertThat(Rules.of(http, 0).firstPassWithin()).isEqualTo(s(90));
        assertThat(Rules.of(aCommandCheck("true").build(), 0).bootCadence()).isEqualTo(s(1));
    }
}
