package dev.slipway.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {
    static final Path SOURCE = Path.of("/src/web");
    static final String CHECKSUM = "sha256:" + "a".repeat(64);

    static AppSpec web(Map<String, String> config) {
        return new AppSpec("web", SOURCE, null, Map.of("web", 2), Map.of("web", "large"), config,
                Map.of("web", List.of("hostname:UNIQUE")), null, List.of(), "ops");
    }

    static AppState deployed(Map<String, String> config) {
        return new AppState(true, 4, "slug1", CHECKSUM, null, config,
                Map.of("web", new AppState.Formation(2, "large", List.of("hostname:UNIQUE"))), null);
    }

    @Test
    void aNewAppIsCreatedConfiguredDeployedThenScaled() {
        AppPlan plan = Planner.plan(web(Map.of("GREETING", "hi")), AppState.NONE, CHECKSUM);

        assertThat(plan.create()).isTrue();
        assertThat(plan.steps()).containsExactly(new Step.Create("ops"), new Step.SetConfig(Map.of("GREETING", "hi")),
                new Step.Deploy(SOURCE, CHECKSUM, "first deploy"), new Step.Scale("web", 2, null),
                new Step.Resize("web", "large", null), new Step.Constrain("web", List.of("hostname:UNIQUE")));
    }

    @Test
    void anAppAsDeclaredIsUpToDate() {
        assertThat(Planner.plan(web(Map.of("GREETING", "hi")), deployed(Map.of("GREETING", "hi", "OTHER", "x")),
                CHECKSUM).upToDate()).isTrue();
    }

    @Test
    void onlyWhatDiffersIsChanged() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("GREETING", "hello");
        config.put("OLD", null);
        config.put("GONE", null);
        AppState now = new AppState(true, 4, "slug1", "sha256:" + "b".repeat(64), null, Map.of("GREETING", "hi",
                "OLD", "1"), Map.of("web", new AppState.Formation(1, "small", List.of())), null);

        AppPlan plan = Planner.plan(web(config), now, CHECKSUM);

        Map<String, String> changes = new HashMap<>();
        changes.put("GREETING", "hello");
        changes.put("OLD", null);
        assertThat(plan.steps()).containsExactly(new Step.SetConfig(changes),
                new Step.Deploy(SOURCE, CHECKSUM, "source changed"), new Step.Scale("web", 2, 1),
                new Step.Resize("web", "large", "small"), new Step.Constrain("web", List.of("hostname:UNIQUE")));
        assertThat(plan.steps().get(0).describe()).isEqualTo("config: set GREETING; unset OLD");
    }

    @Test
    void aSourceNeverDeployedByApplyIsDeployedOnce() {
        AppState pushed = new AppState(true, 2, "slug1", null, null, Map.of(), Map.of(), null);

        assertThat(Planner.plan(new AppSpec("web", SOURCE, null, null, null, null, null, null, null, null), pushed,
                CHECKSUM).steps()).containsExactly(new Step.Deploy(SOURCE, CHECKSUM, "no deploy from apply on record"));
    }

    @Test
    void aReleaseIsReleasedOnlyWhenItsSlugIsNotRunning() {
        AppSpec spec = new AppSpec("web", null, "v2", null, null, null, null, null, null, null);

        assertThat(Planner.plan(spec, new AppState(true, 5, "s5", null, "s2", Map.of(), Map.of(), null), null).steps())
                .containsExactly(new Step.Release("v2", "s2"));
        assertThat(Planner.plan(spec, new AppState(true, 6, "s2", null, "s2", Map.of(), Map.of(), null), null)
                .upToDate()).isTrue();
    }

    @Test
    void domainsAreAddedAndRemovedToMatchTheList() {
        AppSpec spec = new AppSpec("web", null, null, null, null, null, null, List.of("a.example.com", "b.example.com"),
                null, null);
        AppState now = new AppState(true, 1, "s", null, null, Map.of(), Map.of(), List.of("b.example.com",
                "c.example.com"));

        assertThat(Planner.plan(spec, now, null).steps()).containsExactly(new Step.AddDomain("a.example.com"),
                new Step.RemoveDomain("c.example.com"));
    }

    @Test
    void aServerWithoutDomainsGetsTheStepsThatWillSaySo() {
        AppSpec spec = new AppSpec("web", null, null, null, null, null, null, List.of("a.example.com"), null, null);

        assertThat(Planner.plan(spec, new AppState(true, 1, "s", null, null, Map.of(), Map.of(), null), null).steps())
                .containsExactly(new Step.AddDomain("a.example.com"));
    }

    @Test
    void aSourceUnderTheCurrentDirectoryIsShownRelativeToIt() {
        Path here = Path.of("").toAbsolutePath();

        assertThat(new Step.Deploy(here.resolve("examples/web"), CHECKSUM, "first deploy").describe())
                .isEqualTo("deploy examples/web (first deploy)");
        assertThat(new Step.Deploy(Path.of("/elsewhere/web"), CHECKSUM, "source changed").describe())
                .isEqualTo("deploy /elsewhere/web (source changed)");
    }

    @Test
    void aStepDescriptionNeverHoldsAConfigValue() {
        Step step = new Step.SetConfig(Map.of("API_KEY", "secret-value"));

        assertThat(step.describe()).isEqualTo("config: set API_KEY").doesNotContain("secret-value");
    }
}
