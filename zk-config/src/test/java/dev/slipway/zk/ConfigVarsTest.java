package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigVarsTest {
    @Test
    void namesAreLettersDigitsAndUnderscoresNotStartingWithADigit() {
        assertThat(ConfigVars.nameProblem("DATABASE_URL")).isNull();
        assertThat(ConfigVars.nameProblem("_private1")).isNull();
        assertThat(ConfigVars.nameProblem("1FOO")).contains("'1FOO'");
        assertThat(ConfigVars.nameProblem("A=B")).contains("'A=B'");
        assertThat(ConfigVars.nameProblem("")).contains("empty");
        assertThat(ConfigVars.nameProblem("A-B")).contains("'A-B'");
    }

    @Test
    void aValueOver32KbOrAConfigOver64KbIsRefusedNamingTheVarButNeverItsValue() {
        String big = "v".repeat(32 * 1024 + 1);

        assertThatThrownBy(() -> new ConfigVars(Map.of("BIG", big)))
                .hasMessageContaining("BIG").hasMessageContaining("32 KB").hasMessageNotContaining("vvvv");
        String third = "w".repeat(30 * 1024);
        assertThatThrownBy(() -> new ConfigVars(Map.of("A", third, "B", third, "C", third)))
                .hasMessageContaining("64 KB").hasMessageNotContaining("wwww");
    }

    @Test
    void nullUnsetsAndTheResultIsANewValue() {
        ConfigVars vars = new ConfigVars(Map.of("A", "1", "B", "2"));
        Map<String, String> changes = new HashMap<>();
        changes.put("A", null);
        changes.put("C", "3");

        assertThat(vars.with(changes).vars()).containsOnly(Map.entry("B", "2"), Map.entry("C", "3"));
        assertThat(vars.vars()).containsOnlyKeys("A", "B");
    }

    @Test
    void toStringShowsNamesOnly() {
        assertThat(new ConfigVars(Map.of("TOKEN", "s3cret")).toString()).contains("TOKEN").doesNotContain("s3cret");
        assertThat(new Release(1, "d".repeat(64), 1, Map.of("web", "x"), Map.of(), Map.of(), "", null,
                Map.of("TOKEN", "s3cret")).toString()).contains("TOKEN").doesNotContain("s3cret");
    }

    @Test
    void theAppsOwnVarsWinOverTheBuildpacksDefaults() {
        Release release = new Release(1, "d".repeat(64), 1, Map.of("web", "x"), Map.of("NODE_ENV", "production",
                "A", "buildpack"), Map.of(), "", null, Map.of("A", "mine"));

        assertThat(release.environment()).containsOnly(Map.entry("NODE_ENV", "production"), Map.entry("A", "mine"));
        assertThat(release.configVarNames()).containsExactly("A", "NODE_ENV");
    }
}
