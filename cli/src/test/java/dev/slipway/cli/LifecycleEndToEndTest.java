package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.zk.ZkClient;
import dev.slipway.zk.ZkCredentials;
import dev.slipway.zk.ZkPaths;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ps:restart}, {@code ps:stop} and {@code apps:destroy} as a user meets them: a rolling restart
 * and a stop of one of two instances under load fail no request, and a destroyed app leaves nothing behind in ZooKeeper or in the data directory
 * and its name can be taken again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecycleEndToEndTest {
    static final Path EXAMPLE = Path.of("../examples/procfile-hello").toAbsolutePath().normalize();
    @RegisterExtension
    static final SlipwayForTests slipway = new SlipwayForTests();
    static String api;

    @BeforeAll
    static void givenAnAppWithTwoWebInstances() {
        api = slipway.api();
        ok("apps:create", "hello");
        ok("deploy", EXAMPLE.toString(), "-a", "hello");
        ok("ps:scale", "web=2", "-a", "hello");
        Awaitility.await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> upTasks().size() == 2);
    }

    @Test
    @Order(1)
    void aRollingRestartReplacesEveryInstanceWithoutAFailedRequest() throws Exception {
        Set<String> before = upTasks();
        try (RouterLoad load = RouterLoad.start(slipway.routerPort(), "hello.localhost")) {
            load.awaitMore(20);

            assertThat(ok("ps:restart", "-a", "hello")).contains("Restarting every instance of hello");

            Awaitility.await().atMost(180, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                    .until(() -> dynos().size() == 2 && upTasks().size() == 2
                            && upTasks().stream().noneMatch(before::contains));
            load.awaitMore(20);
            load.close();
            assertThat(load.failures()).isEmpty();
        }
    }

    @Test
    @Order(2)
    void aRestartOfOneInstanceReplacesOnlyThatOne() throws Exception {
        JsonNode second = dynos().stream().filter(d -> d.path("name").asText().equals("web.2")).findFirst()
                .orElseThrow();
        Set<String> before = upTasks();

        ok("ps:restart", "web.2", "-a", "hello");

        Awaitility.await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> upTasks().size() == 2 && !upTasks().contains(second.path("task_id").asText()));
        Set<String> kept = new HashSet<>(upTasks());
        kept.retainAll(before);
        assertThat(kept).as("web.1 kept its instance").hasSize(1);
        Cli.Result unknown = Cli.run(api, "ps:restart", "web.7", "-a", "hello");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no dyno 'web.7'");
    }

    @Test
    @Order(3)
    void aStoppedInstanceIsReplacedWhileTheOtherServesWithoutAFailedRequest() throws Exception {
        String stopped = task("web.2");
        String kept = task("web.1");
        assertThat(routers()).as("the router acknowledges the routes it serves").isNotEmpty();
        try (RouterLoad load = RouterLoad.start(slipway.routerPort(), "hello.localhost")) {
            load.awaitMore(20);

            assertThat(ok("ps:stop", "web.2", "-a", "hello")).contains("Stopping web.2 of hello");

            Awaitility.await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                    .until(() -> upTasks().size() == 2 && !upTasks().contains(stopped));
            load.awaitMore(20);
            load.close();
            assertThat(load.failures()).isEmpty();
        }
        assertThat(upTasks()).contains(kept);
        Cli.Result unknown = Cli.run(api, "ps:stop", "web.7", "-a", "hello");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no dyno 'web.7'");
    }

    @Test
    @Order(4)
    void aDestroyedAppLeavesNothingBehindAndItsNameCanBeCreatedAgain() throws Exception {
        Cli.Result unconfirmed = Cli.run(api, "apps:destroy", "hello");
        assertThat(unconfirmed.exitCode()).isEqualTo(2);
        assertThat(ok("apps")).contains("hello");

        assertThat(ok("apps:destroy", "hello", "--confirm", "hello")).contains("Destroying hello").contains("done");

        assertThat(inZooKeeper("hello")).isEmpty();
        assertThat(onDisk("hello")).isEmpty();
        assertThat(TestHttp.viaRouter(slipway.routerPort(), "hello.localhost").statusCode()).isEqualTo(404);
        ok("apps:create", "hello");
        assertThat(withoutPlatformLog(ok("releases", "-a", "hello"))).doesNotContain("v1");
        assertThat(withoutPlatformLog(ok("logs", "-a", "hello"))).doesNotContain("Build").doesNotContain("web.1");
        assertThat(TestHttp.list(URI.create(api + "/apps/hello/builds"))).isEmpty();
    }

    /**
     * What the CLI printed, less the in-process platform's own log lines (the test's logback writes
     * to whatever System.out is, the CLI's while it runs): the destroyed app's executors may end
     * just then, and Mesos's word of it is not the app's log.
     */
    private static String withoutPlatformLog(String printed) {
        return printed.lines().filter(line -> !line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR) .*"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static String task(String dyno) throws Exception {
        return dynos().stream().filter(d -> d.path("name").asText().equals(dyno)).findFirst().orElseThrow()
                .path("task_id").asText();
    }

    /** The routers' acknowledgement nodes. */
    private static List<String> routers() throws Exception {
        ZkCredentials credentials = ZkCredentials.loadOrCreate(slipway.home().resolve(LocalSlipway.ZK_CREDENTIALS));
        try (CuratorFramework zk = ZkClient.connect(slipway.zkConnect(), ZkPaths.DEFAULT_CHROOT,
                credentials.slipway(), credentials.acls(), 30)) {
            return zk.getChildren().forPath(ZkPaths.ROUTERS);
        }
    }

    /** Every ZooKeeper node of the app: under /apps/APP and /routes/APP, and its tasks. */
    private static List<String> inZooKeeper(String app) throws Exception {
        ZkCredentials credentials = ZkCredentials.loadOrCreate(slipway.home().resolve(LocalSlipway.ZK_CREDENTIALS));
        try (CuratorFramework zk = ZkClient.connect(slipway.zkConnect(), ZkPaths.DEFAULT_CHROOT,
                credentials.slipway(), credentials.acls(), 30)) {
            List<String> found = new ArrayList<>();
            for (String node : List.of(ZkPaths.app(app), ZkPaths.route(app))) {
                if (zk.checkExists().forPath(node) != null) {
                    found.add(node);
                }
            }
            zk.getChildren().forPath(ZkPaths.TASKS).stream().filter(t -> t.startsWith(app + ".")).forEach(found::add);
            return found;
        }
    }

    /**
     * Every file or folder in the data directory whose path names the app, outside mesos-local's
     * own work directory (an agent's sandboxes of ended tasks are Mesos's to collect, as on a cluster).
     */
    private static List<Path> onDisk(String app) throws Exception {
        Path home = slipway.home();
        try (Stream<Path> walk = Files.walk(home)) {
            return walk.map(home::relativize)
                    .filter(p -> !p.startsWith("mesos"))
                    .filter(p -> p.toString().matches("(.*/)?" + app + "(\\.git)?(/.*)?"))
                    .toList();
        }
    }

    private static Set<String> upTasks() throws Exception {
        Set<String> up = new HashSet<>();
        for (JsonNode d : dynos()) {
            if (d.path("state").asText().equals("up")) {
                up.add(d.path("task_id").asText());
            }
        }
        return up;
    }

    private static List<JsonNode> dynos() throws Exception {
        return TestHttp.list(URI.create(api + "/apps/hello/dynos"));
    }

    private static String ok(String... args) {
        return Cli.ok(api, args);
    }
}
