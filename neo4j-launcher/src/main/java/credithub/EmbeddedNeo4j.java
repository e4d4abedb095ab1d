package credithub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs the real Neo4j Community engine with its Bolt server, for the hub's embedded default.
 *
 * <p>Usage: {@code java -cp 'lib/*' credithub.EmbeddedNeo4j HOME CONF}. HOME is the Neo4j home
 * (data, logs), CONF a neo4j.conf written by the hub's tooling. The password for the user
 * {@code neo4j} is read from the environment variable NEO4J_INITIAL_PASSWORD and set on the first
 * start, so the default password is never left in place. On SIGTERM the database shuts down
 * cleanly (shutdown hook). When Bolt is up, the file HOME/run/ready is written.
 */
public final class EmbeddedNeo4j {
    private EmbeddedNeo4j() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedNeo4j HOME CONF");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path conf = Path.of(args[1]).toAbsolutePath();
        String password = System.getenv("NEO4J_INITIAL_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_INITIAL_PASSWORD must be set (8 characters or more)");
            System.exit(2);
        }
        Path ready = home.resolve("run").resolve("ready");
        Files.createDirectories(ready.getParent());
        Files.deleteIfExists(ready);

        DatabaseManagementService dbms =
                new DatabaseManagementServiceBuilder(home).loadPropertiesFromFile(conf).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        Files.deleteIfExists(ready);
                                    } catch (IOException ignored) {
                                        // the file is advisory only
                                    }
                                    dbms.shutdown();
                                    stopped.countDown();
                                }));

        try {
            setInitialPassword(dbms.database("system"), password);
            Files.writeString(ready, Long.toString(ProcessHandle.current().pid()));
        } catch (RuntimeException | IOException e) {
            e.printStackTrace();
            System.exit(1); // runs the shutdown hook: the database closes cleanly
        }
        System.out.println("credithub-neo4j: ready");
        System.out.flush();
        stopped.await();
    }

    /**
     * A new database has the user neo4j with the default password and "change required"; only
     * then is the configured password set. Later starts leave the password alone.
     */
    private static void setInitialPassword(GraphDatabaseService system, String password) {
        boolean fresh =
                system.executeTransactionally(
                        "SHOW USERS YIELD user, passwordChangeRequired "
                                + "WHERE user = 'neo4j' RETURN passwordChangeRequired",
                        Map.of(),
                        result ->
                                result.hasNext()
                                        && Boolean.TRUE.equals(
                                                result.next().get("passwordChangeRequired")));
        if (fresh) {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        }
    }
}
