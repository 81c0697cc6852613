package dev.orders.common;

/** Column names, spelled once. They are the CSV headers, the JSON field names and the output columns. */
public final class Columns {
    public static final String ORDER_ID = "order_id";
    public static final String ORDER_LINE_ID = "order_line_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String PRODUCT = "product";
    public static final String AMOUNT = "amount";
    public static final String ORDER_DATE = "order_date";
    public static final String QUANTITY = "quantity";

    public static final String NAME = "name";
    public static final String AGE = "age";
    public static final String CITY = "city";

    public static final String TOTAL_AMOUNT = "total_amount";

    /** Why a row was rejected: a {@link RejectionReason} code, null for a good row. */
    public static final String REJECTION_REASON = "rejection_reason";
    /** A short human message that goes with {@link #REJECTION_REASON}. */
    public static final String REJECTION_ERROR = "rejection_error";
    /** The input exactly as it came: a CSV line or a Kafka message value. */
    public static final String RAW = "raw";
    /** Where the input came from: a file path, or topic-partition-offset. */
    public static final String SOURCE = "source";

    private Columns() {
    }
}
