package dev.orders.common;

/** Why a record went to the dead-letter topic instead of on through the pipeline. */
public enum RejectionReason {
    /** Producer: an order file whose first line is not the order header (wrong columns, not CSV). */
    BAD_HEADER("bad_header", "the file's first line is not the order header"),
    /** Producer: an order line with a missing, unparseable or out-of-range value. */
    MALFORMED_ORDER("malformed_order", "an order line with a missing or invalid value"),
    /** Producer: an order line whose customer_id is not in customer.csv. */
    UNKNOWN_CUSTOMER("unknown_customer", "customer_id is not in the customer file"),
    /**
     * Producer: every line of an order file that changed between the file source's listing and its read, or
     * whose last line has no line end (a writer still at work): none of it is published.
     */
    FILE_CHANGED_WHILE_READ("file_changed_while_read", "the order file changed while it was read, or is cut short"),
    /**
     * Both stages: an order_date further ahead of the wall clock than --max-future. Such a date would move
     * the consumer's watermark so far that every later order is late.
     */
    IMPLAUSIBLE_DATE("implausible_date", "order_date is further in the future than --max-future allows"),
    /** Consumer: a message value that is not a JSON object. */
    INVALID_JSON("invalid_json", "the message value is not a JSON object"),
    /** Consumer: a JSON field whose value has the wrong type (text where a number belongs, say). */
    WRONG_TYPE("wrong_type", "a field has a value of the wrong type"),
    /** Consumer: a field the pipeline needs is absent or null. */
    MISSING_FIELD("missing_field", "a required field is absent or null"),
    /**
     * Consumer: a field of the right type whose value the producer would have rejected: a negative amount,
     * quantity or order_line_id, an empty order_id or customer_id.
     */
    INVALID_VALUE("invalid_value", "a field's value is outside what an order line allows");

    private final String code;
    private final String description;

    RejectionReason(String code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The value of the dead-letter record's {@code reason} field. */
    public String code() {
        return code;
    }

    public String description() {
        return description;
    }
}
