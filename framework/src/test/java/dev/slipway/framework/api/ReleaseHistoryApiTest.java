package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.slug.SlugStore;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceState;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.Json;
import dev.slipway.zk.Release;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReleaseHistoryApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario().keeping(3);

    @Test
    void oldReleasesFallOutAndTheirSlugsAreCollectedButNeverOneALiveInstanceOrAKeptReleaseUses() throws Exception {
        api.givenApp("history");
        api.givenBuildpacks("history", api.aBuildpack("Plain", "echo '       compiled'\n"));
        String one = build("history", "one");
        String two = build("history", "two");
        String three = build("history", "three");
        SlugStore slugs = api.parts.slugs();
        InstanceStore instances = api.parts.instances();
        // An instance still runs v2 (its record is in ZooKeeper).
        instances.put(new Instance("history.web.1.v2.x", "history", "web", 1, 2, InstanceState.RUNNING, "agent",
                "127.0.0.1", 31000, true, "", Instant.now()));

        api.patch("/apps/history/config-vars", "{\"FOO\":\"1\"}");
        api.patch("/apps/history/config-vars", "{\"FOO\":\"2\"}");

        // The last 3 stay, and so does v2 while it runs: the history is one longer meanwhile.
        assertThat(versions()).containsExactly(2, 3, 4, 5);
        assertThat(slugs.exists(one)).isFalse();
        assertThat(slugs.exists(two)).isTrue();
        assertThat(slugs.exists(three)).isTrue();
        HttpResponse<String> collected = api.post("/apps/history/releases", "{\"release\":\"v1\"}");
        assertThat(collected.statusCode()).isEqualTo(422);
        assertThat(Json.mapper().readTree(collected.body()).path("detail").asText())
                .contains("v1").contains("collected").contains("last 3");

        instances.delete("history.web.1.v2.x");
        api.patch("/apps/history/config-vars", "{\"FOO\":\"3\"}");

        assertThat(versions()).containsExactly(4, 5, 6);
        assertThat(slugs.exists(two)).isFalse();
        assertThat(slugs.exists(three)).isTrue();
    }

    @Test
    void aSlugAnotherAppsKeptReleaseUsesIsNotCollected() throws Exception {
        api.givenApp("twin-a");
        api.givenApp("twin-b");
        api.givenBuildpacks("twin-a", api.aBuildpack("Plain", "echo '       compiled'\n"));
        api.givenBuildpacks("twin-b", api.aBuildpack("Plain", "echo '       compiled'\n"));
        String shared = build("twin-a", "same");
        assertThat(build("twin-b", "same")).isEqualTo(shared);

        for (int i = 0; i < 3; i++) {
            build("twin-a", "other" + i);
        }

        assertThat(api.releases.list("twin-a").stream().map(Release::slug)).doesNotContain(shared);
        assertThat(api.parts.slugs().exists(shared)).isTrue();
    }

    private static String build(String app, String words) throws Exception {
        HttpResponse<String> accepted = api.upload(app, ApiScenario.aSourceSaying(words));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        JsonNode build = api.finished(app, Json.mapper().readTree(accepted.body()).path("id").asText());
        assertThat(build.path("status").asText()).as(build.toString()).isEqualTo("succeeded");
        return build.path("release").path("slug").path("id").asText();
    }

    private static List<Integer> versions() {
        return api.releases.list("history").stream().map(Release::version).toList();
    }
}
