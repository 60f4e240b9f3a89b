package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which instances a failed deployment's reason names as crashed, and which log lines are of the deployment. */
class DeploymentCrashLinesTest {
    @Test
    void theCrashedInstancesAndTheirExitAreReadFromTheReason() {
        assertThat(DeploymentProgress.crashed("every instance crashed before any became healthy: web.1 crashed: "
                + "exited with code 127 (3 times in a row); worker.2 crashed: exited with code 1; rolled back to v1 "
                + "as v3"))
                .containsExactly(java.util.Map.entry("web.1", "exited with code 127"),
                        java.util.Map.entry("worker.2", "exited with code 1"));
        assertThat(DeploymentProgress.crashed("web.1 crashed 2 times within 60 s of the cutover: exited with code 137; "
                + "rolled back to v1 as v3")).containsExactly(java.util.Map.entry("web.1", "exited with code 137"));
    }

    @Test
    void aReasonNamingNoCrashNamesNoInstance() {
        assertThat(DeploymentProgress.crashed("not healthy within 120 s: web.1 not healthy: GET / answered 500"))
                .isEmpty();
    }

    @Test
    void theLastRunOfACrashedInstanceBeganWhenItsRunBeforeEnded() throws Exception {
        com.fasterxml.jackson.databind.JsonNode history = dev.slipway.zk.Json.mapper().readTree("""
                [{"name": "web.1", "release": 1, "state": "down", "updated_at": "2026-12-07T12:00:00Z"},
                 {"name": "web.1", "release": 2, "state": "crashed", "updated_at": "2026-12-07T12:00:03Z"},
                 {"name": "web.1", "release": 2, "state": "crashed", "updated_at": "2026-12-07T12:00:09Z"},
                 {"name": "web.1", "release": 2, "state": "crashed", "updated_at": "2026-12-07T12:00:06Z"},
                 {"name": "web.2", "release": 2, "state": "crashed", "updated_at": "2026-12-07T12:00:08Z"}]
                """);

        assertThat(DeploymentProgress.lastRunSince(history, "web.1", 2, "2026-12-07T11:59:59Z"))
                .isEqualTo("2026-12-07T12:00:06Z");
        assertThat(DeploymentProgress.lastRunSince(history, "web.2", 2, "2026-12-07T11:59:59Z"))
                .as("one run only: since the deployment began").isEqualTo("2026-12-07T11:59:59Z");
    }

    @Test
    void onlyLinesStampedSinceTheDeploymentBeganAreItsOwn() {
        String since = "2026-12-07T12:00:00Z";
        assertThat(DeploymentProgress.stampedSince("2026-12-07T12:00:01.000000+00:00 app[web.1]: boom", since))
                .isTrue();
        assertThat(DeploymentProgress.stampedSince("2026-12-07T11:59:59.000000+00:00 app[web.1]: old", since))
                .isFalse();
        assertThat(DeploymentProgress.stampedSince("no stamp at all", since)).isTrue();
    }
}
