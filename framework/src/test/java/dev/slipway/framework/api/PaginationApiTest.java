package dev.slipway.framework.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.Json;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * List endpoints in pages: Heroku's {@code Range} header ({@code Accept-Ranges}, 206 with
 * {@code Next-Range}) and the same pages by {@code ?limit&cursor}; bad requests refused by name.
 */
class PaginationApiTest {
    @RegisterExtension
    static final ApiScenario api = new ApiScenario();

    @BeforeAll
    static void fiveApps() throws Exception {
        for (String name : List.of("echo", "alpha", "delta", "bravo", "charlie")) {
            api.givenApp(name);
        }
    }

    @Test
    void aRangeHeaderWalksTheAppsInPagesUntilA200() throws Exception {
        List<String> seen = new ArrayList<>();
        String range = "name ..; max=2";
        List<Integer> statuses = new ArrayList<>();
        while (range != null) {
            HttpResponse<String> page = ApiScenario.HTTP.send(api.request("/apps").header("Range", range).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            statuses.add(page.statusCode());
            assertThat(page.headers().firstValue("Accept-Ranges")).contains("name");
            Json.mapper().readTree(page.body()).forEach(app -> seen.add(app.path("name").asText()));
            range = page.headers().firstValue("Next-Range").orElse(null);
        }

        assertThat(statuses).containsExactly(206, 206, 200);
        assertThat(seen).containsExactly("alpha", "bravo", "charlie", "delta", "echo");
    }

    @Test
    void aRangeCanStartAfterAKeyAndRunBackwards() throws Exception {
        HttpResponse<String> after = ApiScenario.HTTP.send(api.request("/apps").header("Range", "name ]bravo..")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> backwards = ApiScenario.HTTP.send(api.request("/apps")
                .header("Range", "name ..; max=2, order=desc").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(names(after)).containsExactly("charlie", "delta", "echo");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(names(backwards)).containsExactly("echo", "delta");
        assertThat(backwards.statusCode()).isEqualTo(206);
        assertThat(backwards.headers().firstValue("Next-Range")).contains("name ]delta..; max=2, order=desc");
        assertThat(backwards.headers().firstValue("Content-Range")).contains("name echo..delta");
    }

    @Test
    void limitAndCursorServeTheSamePages() throws Exception {
        HttpResponse<String> first = api.get("/apps?limit=3");
        String cursor = first.headers().firstValue("Next-Cursor").orElseThrow();
        HttpResponse<String> second = api.get("/apps?limit=3&cursor=" + cursor);

        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(names(first)).containsExactly("alpha", "bravo", "charlie");
        assertThat(first.headers().firstValue("Link")).hasValueSatisfying(link -> assertThat(link)
                .contains("cursor=" + cursor).contains("rel=\"next\""));
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(names(second)).containsExactly("delta", "echo");
        assertThat(second.headers().firstValue("Next-Cursor")).isEmpty();
    }

    @Test
    void aListWithoutPaginationIsTheFirstTwoHundred() throws Exception {
        HttpResponse<String> all = api.get("/apps");

        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(names(all)).hasSize(5);
        assertThat(Paging.DEFAULT_SIZE).isEqualTo(200);
    }

    @Test
    void releasesBuildsAndDynosArePaginatedToo() throws Exception {
        for (String list : List.of("/apps/alpha/releases", "/apps/alpha/builds", "/apps/alpha/dynos")) {
            HttpResponse<String> page = api.get(list + "?limit=1");

            assertThat(page.statusCode()).as(list).isEqualTo(200);
            assertThat(page.headers().firstValue("Accept-Ranges")).as(list).isPresent();
        }
        assertThat(api.get("/apps/alpha/releases").headers().firstValue("Accept-Ranges")).contains("version");
    }

    @Test
    void badPagesAreRefusedSayingWhatIsAccepted() throws Exception {
        assertThat(problem(api.get("/apps?limit=0"), 400)).contains("limit must be a whole number from 1 to 1000");
        assertThat(problem(api.get("/apps?limit=1001"), 400)).contains("from 1 to 1000");
        assertThat(problem(api.get("/apps?order=sideways"), 400)).contains("asc or desc");
        assertThat(problem(ranged("id ..; max=10"), 416)).contains("ranged by name");
        assertThat(problem(ranged("name ..; max=5000"), 400)).contains("max must be");
        assertThat(problem(ranged("name ..; colour=red"), 400)).contains("max=n and order");
    }

    private static HttpResponse<String> ranged(String range) throws Exception {
        return ApiScenario.HTTP.send(api.request("/apps").header("Range", range).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String problem(HttpResponse<String> answer, int status) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).contains(Problem.MEDIA_TYPE);
        return Json.mapper().readTree(answer.body()).path("detail").asText();
    }

    private static List<String> names(HttpResponse<String> page) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode app : Json.mapper().readTree(page.body())) {
            names.add(app.path("name").asText());
        }
        return names;
    }
}
