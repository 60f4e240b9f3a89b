package dev.slipway.mesoslocal;

import com.google.protobuf.ByteString;
import dev.slipway.mesos.MediaType;
import dev.slipway.mesos.MesosHttpClient;
import dev.slipway.mesos.RecordIO;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * A minimal custom executor speaking the v1 executor API, run by the agent in tests. What it
 * does with a task depends on the task's data: {@code run} reports TASK_RUNNING and keeps the
 * task until KILL or SHUTDOWN; {@code exit} reports TASK_RUNNING, then exits with status 3;
 * {@code spawn} and {@code spawn-session} start an app process ({@code sleep}; in a session of its
 * own for the second), write its pid to {@code child.pid}, and then run as {@code run} does.
 * It writes the MESOS_* environment to {@code env.txt} and every event to {@code events.log} in
 * its sandbox, and exits once its last task's terminal update is acknowledged. With
 * {@code MESOS_CHECKPOINT=1} it subscribes again (for 30 s) when the agent goes away, as Mesos's
 * executors do across an agent restart; unless {@code SLIPWAY_TEST_STAY_AWAY} is set: then it
 * lives on for 30 s without subscribing.
 */
public final class TestExecutor {
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(30);
    private final MesosHttpClient client = new MesosHttpClient(MediaType.PROTOBUF, Duration.ofSeconds(5),
            System.getenv("MESOS_EXECUTOR_AUTHENTICATION_TOKEN") == null ? null
                    : MesosHttpClient.bearer(System.getenv("MESOS_EXECUTOR_AUTHENTICATION_TOKEN")));
    private final URI endpoint;
    private final FrameworkID frameworkId;
    private final ExecutorID executorId;
    private final Path sandbox;
    private final Map<String, TaskInfo> live = new LinkedHashMap<>();
    private final Set<ByteString> terminalUpdates = new HashSet<>();

    private TestExecutor() {
        endpoint = URI.create("http://" + System.getenv("MESOS_AGENT_ENDPOINT") + "/api/v1/executor");
        frameworkId = FrameworkID.newBuilder().setValue(System.getenv("MESOS_FRAMEWORK_ID")).build();
        executorId = ExecutorID.newBuilder().setValue(System.getenv("MESOS_EXECUTOR_ID")).build();
        sandbox = Path.of(System.getenv("MESOS_SANDBOX"));
    }

    public static void main(String[] args) throws Exception {
        new TestExecutor().run();
    }

    private void run() throws Exception {
        Map<String, String> env = new TreeMap<>(System.getenv());
        StringBuilder lines = new StringBuilder();
        env.forEach((k, v) -> {
            if (k.startsWith("MESOS_") || k.startsWith("SLIPWAY_TEST_")) {
                lines.append(k).append('=').append(v).append('\n');
            }
        });
        lines.append("PWD=").append(Path.of("").toAbsolutePath()).append('\n');
        Files.writeString(sandbox.resolve("env.txt"), lines);

        subscribeAndServe();
        // With checkpointing, as Mesos's executors do: subscribe again while the agent restarts.
        boolean checkpoint = "1".equals(System.getenv("MESOS_CHECKPOINT"));
        if (checkpoint && System.getenv("SLIPWAY_TEST_STAY_AWAY") != null) {
            log("STAYING AWAY");
            Thread.sleep(RECOVERY_TIMEOUT.toMillis());
        }
        long giveUp = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
        while (checkpoint && System.nanoTime() < giveUp) {
            Thread.sleep(100);
            try {
                subscribeAndServe();
                giveUp = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
            } catch (IOException e) {
                // The agent is not back yet.
            }
        }
        log("END");
        System.exit(0);
    }

    private void subscribeAndServe() throws Exception {
        Call subscribe = call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
                .addAllUnacknowledgedTasks(live.values())).build();
        try (MesosHttpClient.Stream stream = client.subscribe(endpoint, subscribe)) {
            RecordIO.Reader reader = stream.reader();
            for (byte[] record = reader.next(); record != null; record = reader.next()) {
                handle(Event.parseFrom(record));
            }
        } catch (IOException e) {
            log("DISCONNECTED");
            throw e;
        }
        log("DISCONNECTED");
    }

    private void handle(Event event) throws Exception {
        switch (event.getType()) {
            case SUBSCRIBED -> log("SUBSCRIBED " + event.getSubscribed().getContainerId().getValue());
            case LAUNCH -> {
                TaskInfo task = event.getLaunch().getTask();
                String mode = task.getData().toStringUtf8();
                log("LAUNCH " + task.getTaskId().getValue() + " " + mode);
                live.put(task.getTaskId().getValue(), task);
                if (mode.startsWith("spawn")) {
                    List<String> argv = mode.equals("spawn-session") ? List.of("setsid", "sleep", "600")
                            : List.of("sleep", "600");
                    Process child = new ProcessBuilder(argv).start();
                    Files.writeString(sandbox.resolve("child.pid"), Long.toString(child.pid()));
                    log("SPAWNED " + child.pid());
                }
                update(task.getTaskId(), TaskState.TASK_RUNNING);
                if (mode.equals("exit")) {
                    log("EXIT 3");
                    System.exit(3);
                }
            }
            case KILL -> {
                log("KILL " + event.getKill().getTaskId().getValue());
                if (live.remove(event.getKill().getTaskId().getValue()) != null) {
                    terminalUpdates.add(update(event.getKill().getTaskId(), TaskState.TASK_KILLED));
                }
            }
            case ACKNOWLEDGED -> {
                ByteString uuid = event.getAcknowledged().getUuid();
                log("ACKNOWLEDGED " + event.getAcknowledged().getTaskId().getValue() + " " + uuid(uuid));
                if (terminalUpdates.remove(uuid) && live.isEmpty() && terminalUpdates.isEmpty()) {
                    log("EXIT 0");
                    System.exit(0);
                }
            }
            case MESSAGE -> {
                log("MESSAGE " + event.getMessage().getData().toStringUtf8());
                client.call(endpoint, call(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder()
                        .setData(ByteString.copyFromUtf8("echo:" + event.getMessage().getData().toStringUtf8())))
                        .build(), null);
            }
            case SHUTDOWN -> {
                log("SHUTDOWN");
                for (TaskInfo task : live.values()) {
                    update(task.getTaskId(), TaskState.TASK_KILLED);
                }
                System.exit(0);
            }
            default -> log(event.getType().name());
        }
    }

    private ByteString update(TaskID taskId, TaskState state) throws IOException, InterruptedException {
        UUID random = UUID.randomUUID();
        ByteString uuid = ByteString.copyFrom(ByteBuffer.allocate(16)
                .putLong(random.getMostSignificantBits()).putLong(random.getLeastSignificantBits()).array());
        TaskStatus status = TaskStatus.newBuilder()
                .setTaskId(taskId)
                .setState(state)
                .setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                .setExecutorId(executorId)
                .setUuid(uuid)
                .build();
        client.call(endpoint, call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(status)).build(),
                null);
        log("UPDATE " + taskId.getValue() + " " + state + " " + uuid(uuid));
        return uuid;
    }

    private Call.Builder call(Call.Type type) {
        return Call.newBuilder().setType(type).setFrameworkId(frameworkId).setExecutorId(executorId);
    }

    private void log(String line) throws IOException {
        Files.writeString(sandbox.resolve("events.log"), line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String uuid(ByteString bytes) {
        ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }
}
