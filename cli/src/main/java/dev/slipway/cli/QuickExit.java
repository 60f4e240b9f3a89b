package dev.slipway.cli;

/**
 * Ends the HTTP client's selector threads before the JVM exits. On Java 17 the JVM waits at exit
 * for every thread blocked in native code, up to 300 ms, and an idle {@code java.net.http}
 * client's selector thread is always there (its {@code close()} came in Java 21): that was a
 * third of a client verb's time. Interrupting the thread ends its loop.
 */
final class QuickExit {
    private static final String SELECTOR = "SelectorManager";

    private QuickExit() {
    }

    static void stopHttpSelectors() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        Thread[] threads = new Thread[group.activeCount() + 8];
        int count = group.enumerate(threads, true);
        for (int i = 0; i < count; i++) {
            Thread thread = threads[i];
            if (thread.getName().startsWith("HttpClient-") && thread.getName().endsWith(SELECTOR)) {
                thread.interrupt();
                try {
                    thread.join(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
