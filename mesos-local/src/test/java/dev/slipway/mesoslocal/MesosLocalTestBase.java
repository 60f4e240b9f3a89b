package dev.slipway.mesoslocal;

import com.google.protobuf.ByteString;
import dev.slipway.mesos.MediaType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Starts a fresh mesos-local per test, and the small scenario language the tests speak. */
abstract class MesosLocalTestBase {
    static final double AGENT_CPUS = 2;
    static final long AGENT_MEM = 2048;

    @TempDir
    Path workDir;
    MesosLocal mesos;
    private final List<TestScheduler> schedulers = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    MesosLocalFlags flags() {
        return MesosLocalFlags.defaults();
    }

    /** Simulated agents to start with instead of the real agent; none by default. */
    SimulatedAgents simulatedAgents() {
        return null;
    }

    MesosLocalConfig config() {
        return new MesosLocalConfig("127.0.0.1", 0, 0, workDir, AGENT_CPUS, AGENT_MEM, 4096, 31000, 31099,
                "127.0.0.1");
    }

    @BeforeEach
    void startMesos() {
        MesosLocalConfig config = config();
        SimulatedAgents simulated = simulatedAgents();
        mesos = simulated == null ? MesosLocal.start(config, flags()) : MesosLocal.start(config, flags(), simulated);
    }

    @AfterEach
    void stopMesos() throws IOException {
        for (TestScheduler scheduler : schedulers) {
            scheduler.close();
        }
        mesos.close();
    }

    TestScheduler subscribe(FrameworkInfo info) throws Exception {
        return subscribe(info, MediaType.PROTOBUF);
    }

    /** Closes {@code scheduler} after the test. */
    void register(TestScheduler scheduler) {
        schedulers.add(scheduler);
    }

    TestScheduler subscribe(FrameworkInfo info, MediaType type) throws Exception {
        TestScheduler scheduler = new TestScheduler(mesos.masterUri(), type);
        schedulers.add(scheduler);
        return scheduler.subscribe(info);
    }

    /** A framework that survives disconnection for a minute. */
    static FrameworkInfo failoverFramework() {
        return TestScheduler.frameworkInfo().setFailoverTimeout(60).build();
    }

    /** A task for {@link TestExecutor}, with its own executor; {@code mode} tells the executor what to do. */
    static TaskInfo task(Offer offer, String taskId, String mode, double cpus, double mem) {
        return TaskInfo.newBuilder()
                .setName("test " + taskId)
                .setTaskId(TaskID.newBuilder().setValue(taskId))
                .setAgentId(offer.getAgentId())
                .addResources(scalar("cpus", cpus))
                .addResources(scalar("mem", mem))
                .setExecutor(testExecutor(taskId))
                .setData(ByteString.copyFromUtf8(mode))
                .build();
    }

    static ExecutorInfo testExecutor(String executorId) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return executor(executorId, CommandInfo.newBuilder()
                .setValue("exec '" + java + "' -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m"
                        + " -Dcom.google.protobuf.use_unsafe_pre22_gencode=true " + TestExecutor.class.getName())
                .setEnvironment(Environment.newBuilder()
                        .addVariables(variable("CLASSPATH", System.getProperty("java.class.path")))
                        .addVariables(variable("SLIPWAY_TEST_SECRET", "s3cr3t")))
                .build());
    }

    static ExecutorInfo executor(String executorId, CommandInfo command) {
        return ExecutorInfo.newBuilder()
                .setType(ExecutorInfo.Type.CUSTOM)
                .setExecutorId(ExecutorID.newBuilder().setValue(executorId))
                .setName("test executor " + executorId)
                .setCommand(command)
                .addResources(scalar("cpus", 0.1))
                .addResources(scalar("mem", 64))
                .build();
    }

    static Environment.Variable variable(String name, String value) {
        return Environment.Variable.newBuilder().setName(name).setValue(value).build();
    }

    static Resource scalar(String name, double value) {
        return Resource.newBuilder().setName(name).setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(value)).build();
    }

    static double scalar(Offer offer, String name) {
        return offer.getResourcesList().stream().filter(r -> r.getName().equals(name))
                .mapToDouble(r -> r.getScalar().getValue()).sum();
    }

    /** The sandbox of the executor's latest run. */
    Path sandbox(TestScheduler scheduler, Offer offer, String executorId) {
        return workDir.resolve(Path.of("slaves", offer.getAgentId().getValue(), "frameworks",
                scheduler.frameworkId().getValue(), "executors", executorId, "runs", "latest"));
    }

    static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    HttpResponse<String> post(URI uri, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI schedulerApi() {
        return mesos.masterUri().resolve("/api/v1/scheduler");
    }
}
