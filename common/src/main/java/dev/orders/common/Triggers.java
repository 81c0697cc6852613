package dev.orders.common;

import dev.orders.common.options.CommonOptions;
import org.apache.spark.sql.streaming.Trigger;

/** The trigger the options ask for: everything available now and stop, or a micro-batch every interval. */
public final class Triggers {
    public static Trigger of(CommonOptions options) {
        return options.availableNow()
                ? Trigger.AvailableNow()
                : Trigger.ProcessingTime(options.triggerInterval());
    }

    private Triggers() {
    }
}
