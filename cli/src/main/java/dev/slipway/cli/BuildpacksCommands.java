package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code buildpacks}, {@code buildpacks:set}, {@code :add}, {@code :remove}, {@code :clear}, as
 * Heroku's: the list is changed here and stored whole; the API checks every reference and stores
 * nothing when one is bad. Numbers ({@code -i}) count from 1.
 */
final class BuildpacksCommands {
    private BuildpacksCommands() {
    }

    /** The app's buildpacks, and how to store a new list of them. */
    abstract static class BuildpacksCommand extends AppCommand {
        List<String> current(ApiClient client) {
            List<String> buildpacks = new ArrayList<>();
            for (JsonNode b : client.get("/apps/" + app + "/buildpacks")) {
                buildpacks.add(b.path("buildpack").asText());
            }
            return buildpacks;
        }

        List<String> store(ApiClient client, List<String> buildpacks) {
            List<String> stored = new ArrayList<>();
            for (JsonNode b : client.put("/apps/" + app + "/buildpacks", Map.of("buildpacks", buildpacks))) {
                stored.add(b.path("buildpack").asText());
            }
            return stored;
        }

        void show(String done, List<String> buildpacks) {
            if (buildpacks.isEmpty()) {
                System.out.println(done + app + " uses auto-detection: its .buildpacks file, else the first built-in "
                        + "buildpack that detects it.");
                return;
            }
            System.out.println(done + "Next release on " + app + " will use:");
            number(buildpacks);
            System.out.println("Run `slipway deploy -a " + app + "` to create a new release with "
                    + (buildpacks.size() == 1 ? "this buildpack." : "these buildpacks."));
        }

        static void number(List<String> buildpacks) {
            for (int i = 0; i < buildpacks.size(); i++) {
                System.out.println("  " + (i + 1) + ". " + buildpacks.get(i));
            }
        }

        void refuseTwice(List<String> buildpacks, String reference, int except) {
            int at = buildpacks.indexOf(reference);
            if (at >= 0 && at != except) {
                throw new CliError("the buildpack " + reference + " is already set on " + app + " (number " + (at + 1)
                        + ")");
            }
        }

        /** {@code -i N} as a list position: N counts from 1 and may be one past the end. */
        int position(Integer index, List<String> buildpacks) {
            if (index < 1 || index > buildpacks.size() + 1) {
                throw new CliError("-i " + index + " is not a buildpack number of " + app + ": it has "
                        + buildpacks.size() + (buildpacks.size() == 1 ? " buildpack" : " buildpacks")
                        + " (-i counts from 1)");
            }
            return index - 1;
        }
    }

    @Command(name = "buildpacks", description = "List an app's buildpacks, in the order they run.")
    static final class Show extends BuildpacksCommand {
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            if (output.json) {
                JsonOption.print(client.get("/apps/" + app + "/buildpacks"));
                return 0;
            }
            List<String> buildpacks = current(client);
            if (buildpacks.isEmpty()) {
                System.out.println(app + " uses auto-detection: no buildpacks are set.");
                return 0;
            }
            System.out.println(Terminal.heading(app + " buildpacks"));
            number(buildpacks);
            return 0;
        }
    }

    @Command(name = "buildpacks:set", description = "Set a buildpack: replace number N (-i), else the first; "
            + "a built-in name, an absolute directory, a .tgz URL or a git URL (#ref).")
    static final class Set extends BuildpacksCommand {
        @Parameters(paramLabel = "BUILDPACK")
        String reference;
        @Option(names = {"-i", "--index"}, paramLabel = "N", description = "the number of the buildpack to replace")
        Integer index;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            List<String> buildpacks = current(client);
            String buildpack = reference.strip();
            int at = index == null ? 0 : position(index, buildpacks);
            refuseTwice(buildpacks, buildpack, at);
            if (at == buildpacks.size()) {
                buildpacks.add(buildpack);
            } else {
                buildpacks.set(at, buildpack);
            }
            show("Buildpack set. ", store(client, buildpacks));
            return 0;
        }
    }

    @Command(name = "buildpacks:add", description = "Add a buildpack: at number N (-i), else last.")
    static final class Add extends BuildpacksCommand {
        @Parameters(paramLabel = "BUILDPACK")
        String reference;
        @Option(names = {"-i", "--index"}, paramLabel = "N", description = "the number it gets; later ones move down")
        Integer index;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            List<String> buildpacks = current(client);
            String buildpack = reference.strip();
            refuseTwice(buildpacks, buildpack, -1);
            buildpacks.add(index == null ? buildpacks.size() : position(index, buildpacks), buildpack);
            show("Buildpack added. ", store(client, buildpacks));
            return 0;
        }
    }

    @Command(name = "buildpacks:remove", description = "Remove a buildpack, named or by its number (-i).")
    static final class Remove extends BuildpacksCommand {
        @Parameters(paramLabel = "BUILDPACK", arity = "0..1")
        String reference;
        @Option(names = {"-i", "--index"}, paramLabel = "N", description = "the number of the buildpack to remove")
        Integer index;

        @Override
        public Integer call() {
            if ((reference == null) == (index == null)) {
                throw new CliError("give the buildpack to remove, or its number with -i, not both");
            }
            ApiClient client = api.client();
            List<String> buildpacks = current(client);
            if (buildpacks.isEmpty()) {
                throw new CliError(app + " has no buildpacks set: nothing to remove");
            }
            if (index != null) {
                if (index < 1 || index > buildpacks.size()) {
                    throw new CliError("-i " + index + " is not a buildpack number of " + app + ": it has "
                            + buildpacks.size() + (buildpacks.size() == 1 ? " buildpack" : " buildpacks"));
                }
                buildpacks.remove(index - 1);
            } else if (!buildpacks.remove(reference.strip())) {
                throw new CliError(app + " has no buildpack " + reference.strip() + "; see `slipway buildpacks -a "
                        + app + "`");
            }
            show("Buildpack removed. ", store(client, buildpacks));
            return 0;
        }
    }

    @Command(name = "buildpacks:clear", description = "Remove all buildpacks: the app detects them again.")
    static final class Clear extends BuildpacksCommand {
        @Override
        public Integer call() {
            show("Buildpacks cleared. ", store(api.client(), List.of()));
            return 0;
        }
    }
}
