package dev.slipway.zk;

/**
 * A record that would be larger than {@link Nodes#MAX_RECORD_BYTES}: refused before it is written,
 * so that no record ever nears ZooKeeper's 1 MB limit (past it the node cannot be written at all).
 */
public final class RecordTooLarge extends StoreException {
    public RecordTooLarge(String message) {
        super(message, null);
    }
}
