package dev.orders.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocationsTest {

    @ParameterizedTest(name = "{0} / {1} = {2}")
    @CsvSource({
        "hdfs://nn:8020/ck, orders, hdfs://nn:8020/ck/orders",
        "hdfs://nn:8020/ck/, orders, hdfs://nn:8020/ck/orders",
        "s3a://bucket/ck, orders, s3a://bucket/ck/orders",
        "s3a://bucket, orders, s3a://bucket/orders",
        "file:/tmp/ck, orders, file:/tmp/ck/orders",
        "file:///tmp/ck, dead-letters, file:/tmp/ck/dead-letters",
        "/tmp/ck, orders, /tmp/ck/orders",
        "ck, orders, ck/orders",
    })
    void joinsKeepTheSchemeAndTheBucketOrHost(String parent, String child, String joined) {
        assertEquals(joined, Locations.join(parent, child));
    }

    @ParameterizedTest
    @CsvSource({"hdfs://nn:8020/ck", "s3a://bucket/ck/orders", "file:/tmp/ck", "gs://bucket/a b"})
    void aPathWithASchemeIsKeptAsWritten(String location) {
        assertEquals(location, Locations.qualify(location, new Configuration()));
    }

    @Test
    void aRelativePathIsMadeAbsoluteOnTheDefaultFileSystem() {
        String cwd = Path.of("").toAbsolutePath().toString();

        assertEquals("file:" + cwd + "/out/orders", Locations.qualify("out/orders", new Configuration()));
        assertEquals("file:/data/orders", Locations.qualify("/data/orders", new Configuration()));
    }

    @Test
    void aPathWithoutASchemeFollowsTheDefaultFileSystemOfTheCluster() {
        Configuration conf = new Configuration();
        conf.set("fs.defaultFS", "hdfs://localhost:8020"); // no name node needed: nothing is read
        String home = "/user/" + System.getProperty("user.name");

        assertEquals("hdfs://localhost:8020/data/orders", Locations.qualify("/data/orders", conf));
        assertEquals("hdfs://localhost:8020" + home + "/out", Locations.qualify("out", conf));
    }
}
