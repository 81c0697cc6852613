package dev.orders.producer;

import static dev.orders.common.Columns.SOURCE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.common.LocalSpark;
import dev.orders.common.Schemas;
import dev.orders.common.options.CommonOptions;
import dev.orders.common.options.ProducerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.codegen.ByteCodeStats;
import org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator$;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HotSpot's JIT leaves a method of more than 8,000 bytes of bytecode to the interpreter, and Spark generates
 * each whole stage of a plan around one method that loops over its rows (its own limit is 64 KB). Past the line, a producer batch's
 * tasks took 2.6 to 3 times the CPU (the README's benchmark, eighth round), with nothing to say so. The
 * batch's plan, over the lines as {@code foreachBatch} hands them over, stays on this side of it (4,567
 * bytes when this test was written).
 */
class OrderBatchCodeSizeTest {
    private static final int HOTSPOT_HUGE_METHOD_BYTES = 8_000;
    private static final Instant BATCH_CLOCK = Instant.parse("2026-11-27T12:00:00Z");
    private final SparkSession spark = LocalSpark.session();

    @Test
    void everyStageOfABatchCompilesToMethodsTheJitCompiles(@TempDir Path dir) throws Exception {
        CommonOptions options = ProducerOptions.parse(new String[] {"--time-zone", "UTC"}, Map.of()).common();
        Dataset<Row> records = OrderBatchPublisher.kafkaRecords(checkedLines(), customers(dir), options, 0,
                BATCH_CLOCK, new Observation("code-size-" + System.nanoTime()));
        records.collectAsList(); // Adaptive Query Execution settles its stages as it runs

        Map<String, Integer> methodBytes = new LinkedHashMap<>();
        for (WholeStageCodegenExec stage : ExecutedPlans.of(records).stream()
                .filter(WholeStageCodegenExec.class::isInstance).map(WholeStageCodegenExec.class::cast).toList()) {
            ByteCodeStats compiled = CodeGenerator$.MODULE$.compile(stage.doCodeGen()._2())._2();
            methodBytes.put("stage " + stage.codegenStageId() + " (" + stage.child().nodeName() + ")",
                    compiled.maxMethodCodeSize());
        }
        assertFalse(methodBytes.isEmpty(), "no whole-stage code generated");
        assertTrue(methodBytes.values().stream().allMatch(bytes -> bytes <= HOTSPOT_HUGE_METHOD_BYTES),
                () -> "the largest method of each stage, in bytes of bytecode: " + methodBytes);
    }

    /**
     * Lines of {@link OrderFiles#checked} as a batch hands them over: rows of an RDD, every column a value of
     * its own (from a local list Spark's optimizer would compute the plan itself, and generate little code).
     */
    private Dataset<Row> checkedLines() {
        return spark.createDataFrame(new JavaSparkContext(spark.sparkContext()).parallelize(List.of(
                        RowFactory.create("O1", "1", "C1", "Widget", "19.99", "2024-05-01 10:00:00", "3", null,
                                "file:/o.csv", true, null, null),
                        RowFactory.create("O2", "1", "C9", "Ghost", "5.00", "2024-05-01 10:00:00", "1", null,
                                "file:/o.csv", true, null, null),
                        RowFactory.create(null, null, null, null, null, null, null, "O3,1", "file:/p.csv", false,
                                "bad_header", "the file does not start with the header"))),
                Schemas.ORDER_FILE.add(OrderFiles.CORRUPT_RECORD, DataTypes.StringType)
                        .add(SOURCE, DataTypes.StringType)
                        .add(OrderFiles.IN_FILE_WITH_ORDER_HEADER, DataTypes.BooleanType)
                        .add(OrderFiles.FILE_PROBLEM, DataTypes.StringType)
                        .add(OrderFiles.FILE_PROBLEM_ERROR, DataTypes.StringType));
    }

    /** The customers as the producer holds them: read and cached by {@link CustomerTable}. */
    private Dataset<Row> customers(Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("customer.csv"), "customer_id,name,age,city\nC1,Alice,30,Paris\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
        return CustomerTable.load(spark, file.toString()).current();
    }
}
