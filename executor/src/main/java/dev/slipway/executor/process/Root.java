package dev.slipway.executor.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process runs as root: what the firewall rule and the apps' own users need. */
final class Root {
    private Root() {
    }

    static boolean isThisProcess() {
        try {
            return (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
