package dev.orders.common;

import static dev.orders.common.Columns.*;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/** The record formats of the pipeline. Both apps and every test take them from here. */
public final class Schemas {

    /** Money: exact, two decimal places, up to 9,999,999,999.99. */
    public static final DecimalType MONEY = DataTypes.createDecimalType(12, 2);

    /** customer.csv: {@code customer_id,name,age,city}. */
    public static final StructType CUSTOMER = new StructType()
            .add(CUSTOMER_ID, DataTypes.StringType)
            .add(NAME, DataTypes.StringType)
            .add(AGE, DataTypes.IntegerType)
            .add(CITY, DataTypes.StringType);

    /** The columns of an order file, in file order. */
    public static final List<String> ORDER_FILE_COLUMNS =
            List.of(ORDER_ID, ORDER_LINE_ID, CUSTOMER_ID, PRODUCT, AMOUNT, ORDER_DATE, QUANTITY);

    /** The header line every order file starts with. */
    public static final String ORDER_FILE_HEADER = String.join(",", ORDER_FILE_COLUMNS);

    /** An order line once validated. */
    public static final StructType ORDER = new StructType()
            .add(ORDER_ID, DataTypes.StringType)
            .add(ORDER_LINE_ID, DataTypes.IntegerType)
            .add(CUSTOMER_ID, DataTypes.StringType)
            .add(PRODUCT, DataTypes.StringType)
            .add(AMOUNT, MONEY)
            .add(ORDER_DATE, DataTypes.TimestampType)
            .add(QUANTITY, DataTypes.IntegerType);

    /**
     * An order file as read, before validation: every column as text, so that a bad value is
     * reported with a reason instead of turning into a silent null.
     */
    public static final StructType ORDER_FILE = allStrings(ORDER_FILE_COLUMNS);

    /** The value of an {@code order_details} message: an order line joined with its customer. */
    public static final StructType ORDER_DETAILS = new StructType()
            .add(CUSTOMER_ID, DataTypes.StringType)
            .add(NAME, DataTypes.StringType)
            .add(AGE, DataTypes.IntegerType)
            .add(CITY, DataTypes.StringType)
            .add(ORDER_ID, DataTypes.StringType)
            .add(ORDER_LINE_ID, DataTypes.IntegerType)
            .add(PRODUCT, DataTypes.StringType)
            .add(AMOUNT, MONEY)
            .add(ORDER_DATE, DataTypes.TimestampType)
            .add(QUANTITY, DataTypes.IntegerType);

    /** What makes two order lines the same order line. */
    public static final List<String> ORDER_LINE_KEY = List.of(ORDER_ID, ORDER_LINE_ID, ORDER_DATE);

    public static List<String> names(StructType schema) {
        return List.of(schema.fieldNames());
    }

    public static DataType typeOf(StructType schema, String column) {
        return schema.apply(column).dataType();
    }

    private static StructType allStrings(List<String> columns) {
        StructType schema = new StructType();
        for (String column : columns) {
            schema = schema.add(column, DataTypes.StringType);
        }
        return schema;
    }

    private Schemas() {
    }
}
