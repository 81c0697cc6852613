package dev.orders.common;

import dev.orders.common.options.CommonOptions;
import org.apache.spark.sql.streaming.Trigger;

/** The trigger the options ask for: everything available now and stop, or a micro-batch every interval. */
public final class Triggers {
    public static Trigger of(CommonOptions options) {
        return every(options.triggerInterval(), options);
    }

    /** The same, with another interval (the options still decide whether to stop once all is read). */
    public static Trigger every(String interval, CommonOptions options) {
        return options.availableNow()
                ? Trigger.AvailableNow()
                : Trigger.ProcessingTime(interval);
    }

    private Triggers() {
    }
}
