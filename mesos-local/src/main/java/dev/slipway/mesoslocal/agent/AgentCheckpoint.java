package dev.slipway.mesoslocal.agent;

import com.google.protobuf.MessageLite;
import dev.slipway.mesoslocal.task.TaskStates;
import com.google.protobuf.Parser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.mesos.v1.Protos.AgentInfo;
import org.apache.mesos.v1.Protos.ExecutorInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * What a checkpointing agent keeps under {@code <workDir>/meta} to recover after a restart, as a
 * Mesos agent does under its {@code meta} directory: the master and agent ids and agent info, the
 * frameworks with executors here, and per executor its info, sandbox, process, tasks and the
 * status updates not yet acknowledged by the scheduler.
 *
 * @param masterId the master's id, reused so that framework and agent ids stay valid
 * @param agentInfo the agent's info, its id and port included
 * @param frameworks every framework with an executor here, ids set
 * @param executors the executors, alive or terminating, when the checkpoint was written
 */
public record AgentCheckpoint(String masterId, AgentInfo agentInfo, List<FrameworkInfo> frameworks,
        List<ExecutorCheckpoint> executors) {
    private static final int FORMAT = 1;

    public AgentCheckpoint {
        Objects.requireNonNull(masterId, "masterId");
        Objects.requireNonNull(agentInfo, "agentInfo");
        frameworks = List.copyOf(frameworks);
        executors = List.copyOf(executors);
    }

    /**
     * An executor as checkpointed.
     *
     * @param pid its process id, or -1 when its container never started
     * @param startMillis the process's start time (epoch ms, -1 when unknown), to tell it from a reused pid
     * @param queued tasks not delivered to it yet
     * @param tasks tasks delivered to it
     */
    public record ExecutorCheckpoint(String frameworkId, ExecutorInfo info, String containerId, Path directory,
            long pid, long startMillis, boolean terminating, List<TaskInfo> queued, List<TaskCheckpoint> tasks) {
        public ExecutorCheckpoint {
            queued = List.copyOf(queued);
            tasks = List.copyOf(tasks);
        }
    }

    /**
     * A delivered task.
     *
     * @param latest the latest status the agent took for it, or null before the first
     * @param pending its updates not acknowledged by the scheduler yet, oldest first
     */
    public record TaskCheckpoint(TaskInfo info, TaskState state, TaskStatus latest, List<TaskStatus> pending) {
        public TaskCheckpoint {
            pending = List.copyOf(pending);
        }

        /** Whether the master still tracks it: live, or with a terminal update not acknowledged yet. */
        public boolean tracked() {
            return !pending.isEmpty() || !TaskStates.isTerminal(state);
        }
    }

    /** Where the checkpoint of an agent with this work directory lives. */
    public static Path file(Path workDir) {
        return workDir.resolve("meta").resolve("agent.checkpoint");
    }

    /** The checkpoint under {@code workDir}, or null when there is none. */
    public static AgentCheckpoint read(Path workDir) {
        Path file = file(workDir);
        if (!Files.exists(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IOException("unknown checkpoint format " + format);
            }
            String masterId = in.readUTF();
            AgentInfo agentInfo = message(in, AgentInfo.parser());
            List<FrameworkInfo> frameworks = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                frameworks.add(message(in, FrameworkInfo.parser()));
            }
            List<ExecutorCheckpoint> executors = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                String frameworkId = in.readUTF();
                ExecutorInfo info = message(in, ExecutorInfo.parser());
                String containerId = in.readUTF();
                Path directory = Path.of(in.readUTF());
                long pid = in.readLong();
                long start = in.readLong();
                boolean terminating = in.readBoolean();
                List<TaskInfo> queued = new ArrayList<>();
                for (int j = in.readInt(); j > 0; j--) {
                    queued.add(message(in, TaskInfo.parser()));
                }
                List<TaskCheckpoint> tasks = new ArrayList<>();
                for (int j = in.readInt(); j > 0; j--) {
                    TaskInfo task = message(in, TaskInfo.parser());
                    TaskState state = TaskState.forNumber(in.readInt());
                    TaskStatus latest = in.readBoolean() ? message(in, TaskStatus.parser()) : null;
                    List<TaskStatus> pending = new ArrayList<>();
                    for (int k = in.readInt(); k > 0; k--) {
                        pending.add(message(in, TaskStatus.parser()));
                    }
                    tasks.add(new TaskCheckpoint(task, state, latest, pending));
                }
                executors.add(new ExecutorCheckpoint(frameworkId, info, containerId, directory, pid, start,
                        terminating, queued, tasks));
            }
            return new AgentCheckpoint(masterId, agentInfo, frameworks, executors);
        } catch (IOException e) {
            throw new UncheckedIOException("mesos-local: cannot read the agent checkpoint " + file, e);
        }
    }

    /** The checkpoint as bytes, for {@link #write(Path, byte[])}. */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeUTF(masterId);
            message(out, agentInfo);
            out.writeInt(frameworks.size());
            for (FrameworkInfo framework : frameworks) {
                message(out, framework);
            }
            out.writeInt(executors.size());
            for (ExecutorCheckpoint executor : executors) {
                out.writeUTF(executor.frameworkId());
                message(out, executor.info());
                out.writeUTF(executor.containerId());
                out.writeUTF(executor.directory().toString());
                out.writeLong(executor.pid());
                out.writeLong(executor.startMillis());
                out.writeBoolean(executor.terminating());
                out.writeInt(executor.queued().size());
                for (TaskInfo task : executor.queued()) {
                    message(out, task);
                }
                out.writeInt(executor.tasks().size());
                for (TaskCheckpoint task : executor.tasks()) {
                    message(out, task.info());
                    out.writeInt(task.state().getNumber());
                    out.writeBoolean(task.latest() != null);
                    if (task.latest() != null) {
                        message(out, task.latest());
                    }
                    out.writeInt(task.pending().size());
                    for (TaskStatus status : task.pending()) {
                        message(out, status);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Replaces the checkpoint under {@code workDir} atomically: a temporary file, then a move. */
    static void write(Path workDir, byte[] checkpoint) {
        Path file = file(workDir);
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "agent.checkpoint", ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
                out.write(checkpoint);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("mesos-local: cannot write the agent checkpoint " + file, e);
        }
    }

    private static void message(DataOutputStream out, MessageLite message) throws IOException {
        message.writeDelimitedTo(out);
    }

    private static <T extends MessageLite> T message(InputStream in, Parser<T> parser) throws IOException {
        T message = parser.parseDelimitedFrom(in);
        if (message == null) {
            throw new IOException("truncated checkpoint");
        }
        return message;
    }
}
