package dev.slipway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A client verb about one app: {@code -a/--app}, and where the API is. */
abstract class AppCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;
    @Option(names = {"-a", "--app"}, required = true, description = "the app")
    String app;
}
