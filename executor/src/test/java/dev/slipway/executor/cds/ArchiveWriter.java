package dev.slipway.executor.cds;

import java.time.Clock;

/** A JVM that writes the class-data archive when asked, as the executor does once healthy. */
public final class ArchiveWriter {
    private ArchiveWriter() {
    }

    public static void main(String[] args) {
        System.out.println(ClassDataArchive.writeIfAsked(System.getenv(), Clock.systemUTC()));
    }
}
