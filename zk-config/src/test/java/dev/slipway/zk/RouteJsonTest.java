package dev.slipway.zk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The route as the framework writes it and the router reads it, with and without {@code https_only}. */
class RouteJsonTest {
    private static final Route ROUTE = new Route("shop", List.of("www.shop.test"),
            List.of(new Route.Endpoint("10.0.0.1", 31000, "web.1", "shop.web.1")), 7);

    @Test
    void anHttpsOnlyRouteReadsBackHttpsOnly() throws Exception {
        Route httpsOnly = ROUTE.withHttpsOnly(true);

        String json = Json.mapper().writeValueAsString(httpsOnly);

        assertThat(json).contains("\"https_only\":true");
        assertThat(Json.mapper().readValue(json, Route.class)).isEqualTo(httpsOnly);
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(ROUTE), Route.class)).isEqualTo(ROUTE);
    }

    @Test
    void aRouteWrittenBeforeHttpsOnlyExistedServesPlainHttp() throws Exception {
        Route read = Json.mapper().readValue("""
                {"app":"shop","hostnames":["www.shop.test"],
                 "endpoints":[{"host":"10.0.0.1","port":31000,"instance":"web.1","task_id":"shop.web.1"}],
                 "version":7}""", Route.class);

        assertThat(read).isEqualTo(ROUTE);
        assertThat(read.httpsOnly()).isFalse();
    }

    @Test
    void turningHttpsOnlyOnOrOffIsAChangeOfTheRouteAndKeepsItsVersion() {
        assertThat(ROUTE.withHttpsOnly(true).sameAs(ROUTE)).isFalse();
        assertThat(ROUTE.withHttpsOnly(true).version()).isEqualTo(7);
        assertThat(ROUTE.withHttpsOnly(true).withVersion(8).httpsOnly()).isTrue();
        assertThat(ROUTE.withVersion(9).sameAs(ROUTE)).isTrue();
    }
}
