package dev.slipway.executor.testing;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.executor.task.TaskSpec;
import dev.slipway.mesos.RecordIO;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * A Mesos agent's {@code /api/v1/executor} endpoint on 127.0.0.1, speaking the real wire protocol
 * (protobuf calls, a chunked RecordIO event stream), scripted by the test.
 *
 * <p>Only for the failure injections a real agent (mesos-local, see ExecutorOnMesosLocalTest) cannot
 * produce: {@link #disconnect()} drops the executor's event stream while the executor keeps running (an
 * agent restart or a lost agent; mesos-local has no agent recovery, and closing it kills its
 * executors), and {@link #autoAcknowledge(boolean) autoAcknowledge(false)} withholds ACKNOWLEDGED (a
 * real agent acknowledges every UPDATE at once), so updates stay unacknowledged and must be resent on
 * re-subscription.
 */
public final class FakeAgent implements AutoCloseable {
    public static final String AGENT_ID = "agent-1";
    public static final String FRAMEWORK_ID = "framework-1";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Call> subscriptions = new CopyOnWriteArrayList<>();
    private final BlockingQueue<TaskStatus> updates = new LinkedBlockingQueue<>();
    private final List<TaskStatus> allUpdates = new CopyOnWriteArrayList<>();
    private volatile boolean autoAcknowledge = true;
    private volatile Stream stream;

    public FakeAgent() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/api/v1/executor", this::handle);
        server.start();
    }

    /** {@code host:port}, as in MESOS_AGENT_ENDPOINT. */
    public String endpoint() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public void autoAcknowledge(boolean on) {
        autoAcknowledge = on;
    }

    public List<Call> subscriptions() {
        return List.copyOf(subscriptions);
    }

    public boolean connected() {
        return stream != null;
    }

    /** The next UPDATE the executor sent, in order; fails after 10 s. */
    public TaskStatus nextUpdate() throws InterruptedException {
        TaskStatus status = updates.poll(10, TimeUnit.SECONDS);
        if (status == null) {
            throw new AssertionError("no status update within 10 s; got so far: " + allUpdates);
        }
        return status;
    }

    public void launch(String taskId, TaskSpec spec) throws IOException {
        launch(taskId, ByteString.copyFrom(spec.toJson()));
    }

    public void launch(String taskId, ByteString data) throws IOException {
        TaskInfo task = TaskInfo.newBuilder()
                .setName("hello web.1 v3")
                .setTaskId(TaskID.newBuilder().setValue(taskId))
                .setAgentId(AgentID.newBuilder().setValue(AGENT_ID))
                .setData(data)
                .build();
        send(Event.newBuilder().setType(Event.Type.LAUNCH)
                .setLaunch(Event.Launch.newBuilder().setTask(task)).build());
    }

    public void kill(String taskId) throws IOException {
        send(Event.newBuilder().setType(Event.Type.KILL)
                .setKill(Event.Kill.newBuilder().setTaskId(TaskID.newBuilder().setValue(taskId))).build());
    }

    public void acknowledge(TaskStatus status) throws IOException {
        send(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED)
                .setAcknowledged(Event.Acknowledged.newBuilder().setTaskId(status.getTaskId()).setUuid(status.getUuid()))
                .build());
    }

    /** Ends the current event stream, as an agent that restarts does. */
    public void disconnect() {
        Stream current = stream;
        if (current != null) {
            stream = null;
            current.closed.countDown();
        }
    }

    @Override
    public void close() {
        disconnect();
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Call call;
        try (var body = exchange.getRequestBody()) {
            call = Call.parseFrom(body.readAllBytes());
        }
        switch (call.getType()) {
            case SUBSCRIBE -> subscribe(exchange, call);
            case UPDATE -> {
                TaskStatus status = call.getUpdate().getStatus();
                allUpdates.add(status);
                updates.add(status);
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
                if (autoAcknowledge) {
                    acknowledge(status);
                }
            }
            default -> {
                exchange.sendResponseHeaders(202, -1);
                exchange.close();
            }
        }
    }

    private void subscribe(HttpExchange exchange, Call call) throws IOException {
        subscriptions.add(call);
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, 0);
        disconnect();
        FrameworkInfo.Builder framework = FrameworkInfo.newBuilder().setUser("slipway").setName("slipway")
                .setId(FrameworkID.newBuilder().setValue(FRAMEWORK_ID))
                .addCapabilities(FrameworkInfo.Capability.newBuilder()
                        .setType(FrameworkInfo.Capability.Type.PARTITION_AWARE));
        framework.addCapabilities(FrameworkInfo.Capability.newBuilder()
                .setType(FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
        Stream opened = new Stream(exchange.getResponseBody());
        opened.write(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                .setSubscribed(Event.Subscribed.newBuilder()
                        .setExecutorInfo(ExecutorInfo.newBuilder()
                                .setExecutorId(call.getExecutorId())
                                .setFrameworkId(call.getFrameworkId())
                                .setCommand(CommandInfo.newBuilder().setValue("java -jar slipway-executor.jar")))
                        .setFrameworkInfo(framework)
                        .setAgentInfo(AgentInfo.newBuilder().setHostname("localhost")
                                .setId(AgentID.newBuilder().setValue(AGENT_ID))))
                .build());
        stream = opened;
        try {
            opened.closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private void send(Event event) throws IOException {
        Stream current = stream;
        if (current == null) {
            throw new IOException("the executor is not subscribed");
        }
        current.write(event);
    }

    /** One open SUBSCRIBE response. */
    private static final class Stream {
        private final OutputStream out;
        private final CountDownLatch closed = new CountDownLatch(1);

        Stream(OutputStream out) {
            this.out = out;
        }

        synchronized void write(Event event) throws IOException {
            out.write(RecordIO.frame(event.toByteArray()));
            out.flush();
        }
    }
}
