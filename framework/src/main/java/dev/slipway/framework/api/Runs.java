package dev.slipway.framework.api;

import dev.slipway.framework.deploy.OneOff;
import dev.slipway.framework.schedule.OneOffDesk;
import dev.slipway.zk.App;
import dev.slipway.zk.AppStore;
import dev.slipway.zk.Conflict;
import dev.slipway.zk.Instance;
import dev.slipway.zk.InstanceStore;
import dev.slipway.zk.NotFound;
import dev.slipway.zk.Size;
import dev.slipway.zk.Unavailable;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-off dynos ({@code slipway run}), as Heroku's Platform API has them: {@code POST
 * /apps/{app}/dynos} asks the scheduler for one (201 with it, named {@code run.N}), {@code DELETE
 * /apps/{app}/dynos/run.N} stops it, {@code GET /apps/{app}/dynos/run.N/output} streams its output
 * and ends with its exit code ({@link RunOutput}). Listed by {@code GET /apps/{app}/dynos} as any
 * instance is, with type {@code run}.
 */
final class Runs {
    private static final Logger LOG = LoggerFactory.getLogger(Runs.class);
    static final Pattern NAME = Pattern.compile(OneOff.TYPE + "\\.[1-9][0-9]{0,3}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final int MAX_COMMAND_CHARS = 32 * 1024;
    static final long MAX_TIME_TO_LIVE = 7 * 24 * 3600;

    /**
     * A one-off asked for: {@code size} by name (null: the size of the app's {@code web}),
     * {@code env} set over the app's config, {@code time_to_live} in seconds (null: no limit);
     * {@code attach} asks for the URL its output streams from.
     */
    record RunBody(String command, String size, Map<String, String> env, Long timeToLive, Boolean attach) {
    }

    /** A one-off dyno as {@code POST} answers it. */
    record OneOffBody(String name, String type, String state, String command, int release, String size,
                      double cpus, int memoryMb, Long timeToLive, Instant createdAt, String attachUrl) {
    }

    /** What a stop answers (202). */
    record StopBody(String app, String stopping, String message) {
    }

    private final AppStore apps;
    private final InstanceStore instances;
    private final OneOffDesk desk;
    private final SizeRequest.Rules sizes;
    private final dev.slipway.framework.logs.AppLogs logs;

    Runs(AppStore apps, InstanceStore instances, OneOffDesk desk, SizeRequest.Rules sizes,
         dev.slipway.framework.logs.AppLogs logs) {
        this.apps = apps;
        this.instances = instances;
        this.desk = desk;
        this.sizes = sizes;
        this.logs = logs;
    }

    /** Mounted before {@link Restarts}: a {@code DELETE} of another dyno than {@code run.N} goes on to it. */
    void mount(Router router) {
        router.post("/apps/:app/dynos").handler(this::run);
        router.delete("/apps/:app/dynos/:dyno").handler(ctx -> {
            if (NAME.matcher(ctx.pathParam("dyno")).matches()) {
                stop(ctx);
            } else {
                ctx.next();
            }
        });
        router.get("/apps/:app/dynos/:dyno/output").handler(ctx -> RunOutput.send(ctx, apps, instances, desk, logs));
    }

    private void run(RoutingContext ctx) {
        Handlers.respond(ctx, 201, () -> {
            String name = AppsResource.app(ctx);
            RunBody body = Handlers.body(ctx, RunBody.class);
            String command = checkedCommand(body.command());
            Map<String, String> env = checkedEnv(body.env());
            long ttl = checkedTimeToLive(body.timeToLive());
            Size size = SizeRequest.parse(body.size(), null, null, null, sizes);
            App app = apps.require(name).value();
            if (app.release() == 0) {
                throw new Conflict("app '" + name + "' has no release yet, so there is nothing to run: deploy it first");
            }
            OneOff oneOff = await(desk.run(name, command, env, size, ttl));
            Size launched = sizes.of(oneOff.size());
            LOG.info("app {}: one-off dyno {} asked for, v{}", name, oneOff.name(), oneOff.release());
            return new OneOffBody(oneOff.name(), OneOff.TYPE, "starting", command, oneOff.release(), launched.name(),
                    launched.cpus(), launched.memoryMb(), ttl == 0 ? null : ttl, oneOff.requestedAt(),
                    Boolean.TRUE.equals(body.attach()) ? "/apps/" + name + "/dynos/" + oneOff.name() + "/output"
                            : null);
        });
    }

    private void stop(RoutingContext ctx) {
        Handlers.respond(ctx, 202, () -> {
            String name = AppsResource.app(ctx);
            String dyno = ctx.pathParam("dyno");
            apps.require(name);
            if (!await(desk.stop(name, dyno))) {
                boolean ended = instances.list(name).stream().anyMatch(i -> OneOff.is(i) && i.name().equals(dyno));
                throw new NotFound("app '" + name + "' has no one-off dyno '" + dyno + "' running"
                        + (ended ? ": it has ended" : ""));
            }
            LOG.info("app {}: stopping one-off dyno {}", name, dyno);
            return new StopBody(name, dyno, "stopping " + dyno);
        });
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new Unavailable("the scheduler did not answer within 30 s", e);
        }
    }

    private static String checkedCommand(String command) {
        if (command == null || command.isBlank()) {
            throw new Invalid(422, "command: give the command to run");
        }
        if (command.length() > MAX_COMMAND_CHARS) {
            throw new Invalid(422, "command: at most " + MAX_COMMAND_CHARS + " characters, not " + command.length());
        }
        if (command.indexOf('\0') >= 0) {
            throw new Invalid(422, "command: must not contain a NUL character");
        }
        return command;
    }

    private static Map<String, String> checkedEnv(Map<String, String> env) {
        if (env == null) {
            return Map.of();
        }
        Map<String, String> checked = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                throw new Invalid(422, "env: '" + StrictJson.printable(e.getKey()) + "' is not a variable name "
                        + "(letters, digits and _, not starting with a digit)");
            }
            if (e.getValue() == null || e.getValue().indexOf('\0') >= 0) {
                throw new Invalid(422, "env: the value of " + e.getKey() + " must be a string without NUL");
            }
            checked.put(e.getKey(), e.getValue());
        }
        return checked;
    }

    private static long checkedTimeToLive(Long ttl) {
        if (ttl == null) {
            return 0;
        }
        if (ttl < 1 || ttl > MAX_TIME_TO_LIVE) {
            throw new Invalid(422, "time_to_live: between 1 and " + MAX_TIME_TO_LIVE + " seconds, not " + ttl);
        }
        return ttl;
    }

    /** The one-off {@code dyno} of the app's instances, the newest; null when none is stored. */
    static Instance find(List<Instance> instances, String dyno) {
        return instances.stream().filter(i -> OneOff.is(i) && i.name().equals(dyno))
                .max(java.util.Comparator.comparing(Instance::updatedAt)).orElse(null);
    }
}
