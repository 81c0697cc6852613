package dev.orders.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orders.common.LocalSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CustomersTest {

    @Test
    void malformedLinesAreSkippedAndTheLastLineOfARepeatedIdWins() {
        Dataset<Row> parsed = Customers.parse(LocalSpark.session(), List.of(
                "customer_id,name,age,city",
                "C1,Alice,30,Paris",
                "C2,Bob,forty,Berlin",
                ",Nobody,20,Nowhere",
                "C3,\"Smith, Jane\",52,Rome",
                "C1,Alice,31,Marseille"));

        List<String> customers = Customers.clean(parsed).orderBy("customer_id").collectAsList().stream()
                .map(Row::toString).toList();

        assertEquals(List.of("[C1,Alice,31,Marseille]", "[C3,Smith, Jane,52,Rome]"), customers);
        assertEquals(2, parsed.filter(org.apache.spark.sql.functions.not(Customers.isWellFormed())).count());
    }

    @Test
    void aFileWithoutTheCustomerHeaderIsRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Customers.parse(LocalSpark.session(), List.of("C1,Alice,30,Paris")));
        assertEquals("the customer file does not start with the header customer_id,name,age,city",
                error.getMessage());
    }
}
