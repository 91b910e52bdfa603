package io.codelabs.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.CopyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Files in a directory outside the web root, one sub-directory per codelab. */
final class LocalStorage implements Storage {
  private final Vertx vertx;
  private final Path root;

  LocalStorage(Vertx vertx, Path root) {
    this.vertx = vertx;
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public Future<Void> prepare() {
    return vertx.fileSystem().mkdirs(root.toString());
  }

  @Override
  public Future<Void> put(String key, Path file, String contentType) {
    Path target = resolve(key);
    return vertx.fileSystem().mkdirs(target.getParent().toString())
      .compose(made -> vertx.fileSystem().move(file.toString(), target.toString(), new CopyOptions().setAtomicMove(false)));
  }

  @Override
  public Future<Void> copyIn(String key, Path file) {
    Path target = resolve(key);
    return vertx.fileSystem().mkdirs(target.getParent().toString())
      .compose(made -> vertx.fileSystem().copy(file.toString(), target.toString(),
        new CopyOptions().setReplaceExisting(true)));
  }

  @Override
  public Future<Readable> read(String key) {
    Path path = resolve(key);
    return vertx.fileSystem().exists(path.toString()).map(exists -> {
      if (!exists) {
        throw new IllegalStateException("Stored file " + key + " is missing");
      }
      return new Readable(path, false);
    });
  }

  @Override
  public Future<Void> delete(String key) {
    return vertx.fileSystem().delete(resolve(key).toString());
  }

  @Override
  public Future<List<String>> keys() {
    return vertx.executeBlocking(() -> {
      if (!Files.isDirectory(root)) {
        return List.of();
      }
      try (Stream<Path> paths = Files.walk(root)) {
        return paths.filter(Files::isRegularFile).map(path -> root.relativize(path).toString().replace('\\', '/'))
          .sorted().toList();
      }
    }, false);
  }

  @Override
  public Future<Void> deleteAll(String prefix) {
    String dir = resolve(prefix).toString();
    return vertx.fileSystem().exists(dir)
      .compose(exists -> exists ? vertx.fileSystem().deleteRecursive(dir) : Future.succeededFuture());
  }

  @Override
  public String describe() {
    return "local directory " + root;
  }

  @Override
  public void close() {
  }

  /** Keys are chosen by the server; this only guards against a key ever leaving the root. */
  private Path resolve(String key) {
    Path path = root.resolve(key).normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      throw new IllegalArgumentException("Invalid storage key " + key);
    }
    return path;
  }
}
