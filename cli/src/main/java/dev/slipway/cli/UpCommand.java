package dev.slipway.cli;

import dev.slipway.framework.api.ApiAccess;
import dev.slipway.framework.deploy.Sizes;
import dev.slipway.mesos.Credential;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code slipway up}: everything on this machine in one process tree. ZooKeeper and the Mesos
 * master are embedded unless {@code --zk} and {@code --master} name real ones.
 */
@Command(name = "up", description = "Run Slipway on this machine: ZooKeeper, Mesos (mesos-local), the framework and the router.")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "where Slipway keeps its state (default: $SLIPWAY_HOME or ~/.slipway)")
    Path dataDir;
    @Option(names = "--zk", description = "ZooKeeper connect string host:port[,host:port]; default: an embedded server")
    String zk;
    @Option(names = "--zk-credentials-file", description = "Slipway's ZooKeeper identities, one a line: "
            + "slipway=<user>:<password> and router=<user>:<password> (digest scheme; see docs/mesos.md); "
            + "default: zookeeper.credentials in the data directory, made with random passwords on first start")
    Path zkCredentialsFile;
    @Option(names = "--zk-port", defaultValue = "2181", description = "port of the embedded ZooKeeper")
    int zkPort;
    @Option(names = "--master", description = "Mesos master URL, e.g. http://10.0.0.5:5050; default: the embedded mesos-local")
    URI master;
    @Option(names = "--mesos-principal", description = "the principal the framework authenticates to Mesos with "
            + "(HTTP basic, the master's --credentials); default: none for --master, and for mesos-local a "
            + "principal 'slipway' with a secret made on first start under <data-dir>/secrets")
    String mesosPrincipal;
    @Option(names = "--mesos-secret-file", description = "a file whose first line is the secret of --mesos-principal")
    Path mesosSecretFile;
    @Option(names = "--master-port", defaultValue = "5050", description = "port of mesos-local's master")
    int masterPort;
    @Option(names = "--agent-port", defaultValue = "5051", description = "port of mesos-local's agent")
    int agentPort;
    @Option(names = "--recover", description = "leave instances running when Slipway stops, and take them back "
            + "when it starts again (mesos-local agent recovery); without it, stopping Slipway stops its instances")
    boolean recover;
    @Mixin
    FrameworkOptions framework = new FrameworkOptions();
    @Option(names = "--router-host", defaultValue = "127.0.0.1", description = "address the router listens on "
            + "(0.0.0.0 to serve other machines)")
    String routerHost;
    @Option(names = "--router-port", defaultValue = "8080", description = "port of the HTTP router")
    int routerPort;
    @Option(names = "--https-port", description = "also serve HTTPS on this port (0 picks a free one), with each "
            + "custom domain's certificate (certs:add) and a self-signed default one; off when not given (docs/tls.md)")
    Integer httpsPort;
    @Option(names = "--router-metrics-port", description = "the router serves Prometheus metrics at "
            + "http://127.0.0.1:PORT/metrics (0 picks a free one); off when not given (docs/routing.md, \"Metrics\")")
    Integer routerMetricsPort;
    @Option(names = {"-v", "--verbose"}, description = "print every log line on the console too (else only "
            + "Slipway's own lines, warnings and errors there; every line goes to <data-dir>/logs/slipway.log)")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Path home = dataDir != null ? dataDir : Locations.home();
        FrameworkOptions f = framework;
        ApiAccess access = f.access();
        Credential credential = mesosCredential();
        Sizes table = sizes();
        int keepReleases = f.keepReleases();
        LocalSlipway.BuildPlace builds = f.buildPlace();
        // Once the options are known good: a bad one leaves nothing behind, a log folder included.
        Path log = UpLogging.configure(home, verbose);
        say("Full log in " + log + (verbose ? "" : " (`slipway up --verbose` prints it here too)"));
        LocalSlipway slipway;
        try {
            slipway = LocalSlipway.start(new LocalSlipway.Options(home,
                    new LocalSlipway.ZooKeeperOptions(zk, zkPort),
                    new LocalSlipway.MesosOptions(master, masterPort, agentPort, recover),
                    new LocalSlipway.ApiOptions(f.apiHost, f.apiPort, f.advertiseUrl),
                    new LocalSlipway.RouterOptions(routerHost, routerPort, httpsPort == null ? -1 : httpsPort,
                            routerMetricsPort == null ? -1 : routerMetricsPort, f.domain),
                    new LocalSlipway.BuildOptions(f.jar(), f.buildpacks(), builds, f.stack())),
                    new LocalSlipway.Trust(access, zkCredentialsFile, credential), table, f.git(), keepReleases,
                    UpCommand::say);
        } catch (Exception e) {
            throw new CliError("slipway up failed: " + e.getMessage());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(slipway::close, "slipway-shutdown"));
        say("Slipway is up. Next: ./slipway apps:create hello && ./slipway deploy examples/procfile-hello -a hello");
        new CountDownLatch(1).await();
        return 0;
    }

    /** The built-in sizes with those of --size, and --default-size. */
    Sizes sizes() {
        return framework.sizeTable();
    }

    /** The credential of --mesos-principal and --mesos-secret-file, which go together; null without them. */
    private Credential mesosCredential() {
        return credential(mesosPrincipal, mesosSecretFile);
    }

    /** A principal and its secret file, which go together; null without them. */
    static Credential credential(String principal, Path secretFile) {
        if (principal == null && secretFile == null) {
            return null;
        }
        if (principal == null || secretFile == null) {
            throw new CliError("--mesos-principal and --mesos-secret-file go together: give both, or neither");
        }
        try {
            return Credential.fromSecretFile(principal, secretFile);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
    }

    private static void say(String line) {
        System.out.println("-----> " + line);
        UpLogging.progress(line);
    }
}
