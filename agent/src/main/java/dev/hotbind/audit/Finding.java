package dev.hotbind.audit;

/** One orphan the audit found. Its key stays the same from one audit to the next while it persists. */
public interface Finding {
    /** Stable identity across audits: a notification goes out only the first time a key appears. */
    String key();

    /** The kind of orphan, also the JMX notification type's last part. */
    String kind();

    /** One sentence for an operator: what, where, since when and why. */
    String summary();
}
