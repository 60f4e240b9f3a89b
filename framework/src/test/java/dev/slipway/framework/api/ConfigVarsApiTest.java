package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Config var values are shown by no record of the API: not by an app's releases, builds, dynos or
 * formation, and never in another app's.
 */
class ConfigVarsApiTest {
    private static final String ALPHA_SECRET = "alpha-s3cret-6d1f";
    private static final String BETA_SECRET = "beta-s3cret-90ac";

    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @Test
    void noResponseShowsAConfigVarValueOfItsOwnAppOrAnother() throws Exception {
        for (String[] app : new String[][] {{"alpha", ALPHA_SECRET}, {"beta", BETA_SECRET}}) {
            api.givenApp(app[0]);
            api.givenBuildpacks(app[0], api.aBuildpackReleasingTheSecret(app[1]));
            api.finished(app[0], api.build(app[0]).path("id").asText());
            assertThat(api.releases.get(app[0], 1).orElseThrow().configVars()).containsEntry("SECRET", app[1]);
        }

        for (String app : List.of("alpha", "beta")) {
            String build = api.json("/apps/" + app + "/builds").get(0).path("id").asText();
            for (String path : List.of("/apps", "/apps/" + app, "/apps/" + app + "/releases", "/apps/" + app + "/dynos",
                    "/apps/" + app + "/formation", "/apps/" + app + "/builds", "/apps/" + app + "/builds/" + build,
                    "/apps/" + app + "/buildpacks", "/health")) {
                HttpResponse<String> answer = api.get(path);

                assertThat(answer.statusCode()).as(path).isIn(200, 503);
                assertThat(answer.body()).as(path).doesNotContain(ALPHA_SECRET).doesNotContain(BETA_SECRET);
            }
            assertThat(api.json("/apps/" + app + "/releases").get(0).path("config_var_names").toString())
                    .isEqualTo("[\"SECRET\"]");
        }
        Path output = api.buildOutput();
        try (var files = Files.walk(output)) {
            assertThat(files.filter(Files::isRegularFile).toList()).isNotEmpty();
        }
    }
}
