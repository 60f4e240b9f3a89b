package dev.slipway.router.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.router.balance.Backend;
import dev.slipway.router.balance.Balance;
import dev.slipway.zk.Route;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static Route route(String app, List<String> hostnames, int... ports) {
        List<Route.Endpoint> endpoints = Arrays.stream(ports)
                .mapToObj(port -> new Route.Endpoint("127.0.0.1", port, "web." + port, "task-" + port))
                .toList();
        return new Route(app, hostnames, endpoints);
    }

    private static RouteTable table(Route... routes) {
        return RouteTable.build(Arrays.stream(routes).collect(Collectors.toMap(Route::app, r -> r)),
                "apps.example.com", RouteTable.empty());
    }

    @Test
    void findsAnAppByItsNameUnderTheDomainAndByItsCustomHostnames() {
        RouteTable table = table(route("hello", List.of("Www.Hello.test."), 1000));

        assertThat(table.lookup("hello.apps.example.com")).map(Backend::app).contains("hello");
        assertThat(table.lookup("www.hello.test")).map(Backend::app).contains("hello");
        assertThat(table.lookup("hello.example.com")).isEmpty();
        assertThat(table.lookup("apps.example.com")).isEmpty();
    }

    @Test
    void letsAnAppsOwnNameWinOverAnotherAppsCustomHostname() {
        RouteTable table = table(route("a", List.of("b.apps.example.com"), 1000), route("b", List.of(), 2000));

        assertThat(table.lookup("b.apps.example.com")).map(Backend::app).contains("b");
        assertThat(table.conflicts()).containsExactly("b.apps.example.com is claimed by a but routes to b");
    }

    @Test
    void keepsTheRoundRobinPositionOfAnAppAcrossTableSwaps() {
        Route hello = route("hello", List.of(), 1000, 2000);
        RouteTable first = table(hello);
        assertThat(first.lookup("hello.apps.example.com").orElseThrow().choose(Balance.ROUND_ROBIN, List.of()).port()).isEqualTo(1000);

        RouteTable second = RouteTable.build(Map.of("hello", hello, "other", route("other", List.of(), 3000)), "apps.example.com", first);

        assertThat(second.lookup("hello.apps.example.com").orElseThrow().choose(Balance.ROUND_ROBIN, List.of()).port()).isEqualTo(2000);
        assertThat(second.apps()).isEqualTo(2);
        assertThat(second.endpoints()).isEqualTo(3);
    }

    @Test
    void aWildcardDomainMatchesEveryNameUnderItButNotItself() {
        RouteTable table = table(route("shop", List.of("*.Shop.test"), 1000));

        assertThat(table.lookup("www.shop.test")).map(Backend::app).contains("shop");
        assertThat(table.lookup("a.b.shop.test")).map(Backend::app).contains("shop");
        assertThat(table.lookup("shop.test")).isEmpty();
        assertThat(table.lookup("xshop.test")).isEmpty();
        assertThat(table.lookup("www.shop.test.evil")).isEmpty();
    }

    @Test
    void anExactNameWinsOverAWildcardAndTheMostSpecificWildcardWins() {
        RouteTable table = table(
                route("catchall", List.of("*.example.test"), 1000),
                route("api", List.of("*.api.example.test"), 2000),
                route("www", List.of("www.example.test", "v1.api.example.test"), 3000));

        assertThat(table.lookup("www.example.test")).map(Backend::app).contains("www");
        assertThat(table.lookup("v1.api.example.test")).map(Backend::app).contains("www");
        assertThat(table.lookup("v2.api.example.test")).map(Backend::app).contains("api");
        assertThat(table.lookup("x.v2.api.example.test")).map(Backend::app).contains("api");
        assertThat(table.lookup("api.example.test")).map(Backend::app).contains("catchall");
        assertThat(table.lookup("blog.example.test")).map(Backend::app).contains("catchall");
        assertThat(table.lookup("example.test")).isEmpty();
    }

    @Test
    void anAppsOwnNameWinsOverAWildcardUnderThePlatformsDomain() {
        RouteTable table = table(route("greedy", List.of("*.apps.example.com"), 1000), route("own", List.of(), 2000));

        assertThat(table.lookup("own.apps.example.com")).map(Backend::app).contains("own");
        assertThat(table.lookup("nobody.apps.example.com")).map(Backend::app).contains("greedy");
    }

    @Test
    void twoAppsClaimingOneWildcardAreAConflictTheFirstByNameWins() {
        RouteTable table = table(route("b", List.of("*.both.test"), 2000), route("a", List.of("*.both.test"), 1000));

        assertThat(table.lookup("x.both.test")).map(Backend::app).contains("a");
        assertThat(table.conflicts()).containsExactly("*.both.test is claimed by b but routes to a");
    }

    @Test
    void normalizesHostNames() {
        assertThat(HostName.normalize("Hello.Example.COM.")).isEqualTo("hello.example.com");
        assertThat(HostName.of(null)).isEmpty();
    }
}
