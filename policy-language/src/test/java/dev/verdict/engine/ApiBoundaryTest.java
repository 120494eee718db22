package dev.verdict.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's public API is what docs/architecture.md lists under "The public API" (the
 * {@code api-boundary} block): nothing outside it may leak through it, and the documented
 * example uses nothing else. The language module is consumed on the class path, where a
 * {@code module-info} exports nothing; this test is what enforces the boundary. sdk-java's own
 * {@code ApiBoundaryTest} holds its main code to the same list.
 */
class ApiBoundaryTest {
  static final Path DOC = Path.of("../docs/architecture.md");
  /** Outside the project, a signature may name the JDK and Jackson's tree model. */
  static final List<String> FOREIGN = List.of("java.", "javax.", "com.fasterxml.jackson.");

  /** The exported types: whole packages ({@code dev.verdict.engine.*}) and single types. */
  record Api(Set<String> packages, Set<String> types) {
    boolean exports(Class<?> c) {
      Class<?> top = c;
      while (top.getEnclosingClass() != null) {
        top = top.getEnclosingClass();
      }
      return packages.contains(top.getPackageName()) || types.contains(top.getName());
    }

    boolean allows(String className) {
      if (FOREIGN.stream().anyMatch(className::startsWith)) {
        return true;
      }
      String top = className.replaceFirst("\\$.*", "");
      return types.contains(top) || packages.contains(top.substring(0, top.lastIndexOf('.')));
    }
  }

  /** Reads the {@code api-boundary} block of docs/architecture.md: one package.* or type a line. */
  static Api documented() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("<!-- api-boundary[^>]*-->\\s*```text\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertThat(m.find()).as("docs/architecture.md has an api-boundary block").isTrue();
    Set<String> packages = new TreeSet<>();
    Set<String> types = new TreeSet<>();
    for (String line : m.group(1).split("\n")) {
      String name = line.replaceFirst("#.*", "").strip();
      if (name.endsWith(".*")) {
        packages.add(name.substring(0, name.length() - 2));
      } else if (!name.isEmpty()) {
        types.add(name);
      }
    }
    return new Api(Set.copyOf(packages), Set.copyOf(types));
  }

  @Test
  void everyTypeAPublicSignatureNamesIsExported() throws Exception {
    Api api = documented();
    SortedSet<String> leaks = new TreeSet<>();
    for (Class<?> c : exportedClasses(api)) {
      if (!Modifier.isPublic(c.getModifiers())) {
        continue;
      }
      for (Member m : publicMembers(c)) {
        for (Class<?> named : m.types()) {
          if (named.getName().startsWith("dev.verdict.") && !api.exports(named)) {
            leaks.add(named.getName() + " (in " + m.where() + ")");
          }
        }
      }
    }
    assertThat(leaks).as("types outside the documented API that exported signatures hand out").isEmpty();
  }

  @Test
  void everyDocumentedTypeExists() throws Exception {
    Api api = documented();
    for (String t : api.types()) {
      assertThat(Class.forName(t)).as(t).matches(c -> Modifier.isPublic(c.getModifiers()), "is public");
    }
    for (String p : api.packages()) {
      assertThat(Files.isDirectory(classesRoot().resolve(p.replace('.', '/')))).as(p).isTrue();
    }
  }

  @Test
  void theDocumentedExampleUsesOnlyTheApi() throws Exception {
    Api api = documented();
    Path example = Path.of(EngineExampleTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve(EngineExampleTest.class.getName().replace('.', '/') + ".class");
    assertThat(outsideApi(api, List.of(example))).isEmpty();
  }

  /** The classes of {@code classFiles} that name a verdict type outside {@code api}, as jdeps sees them. */
  static SortedSet<String> outsideApi(Api api, List<Path> classFiles) {
    List<String> args = new ArrayList<>(List.of("-verbose:class", "-filter:none"));
    classFiles.forEach(p -> args.add(p.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = ToolProvider.findFirst("jdeps").orElseThrow()
        .run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    assertThat(rc).as("jdeps: %s", err).isZero();
    SortedSet<String> found = new TreeSet<>();
    Pattern dep = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(dev\\.verdict\\.\\S+)");
    for (String line : out.toString().split("\n")) {
      Matcher m = dep.matcher(line);
      if (m.find() && !m.group(2).startsWith("dev.verdict.sdk.") && !api.allows(m.group(2))) {
        found.add(m.group(1) + " -> " + m.group(2));
      }
    }
    return found;
  }

  private static Path classesRoot() throws URISyntaxException {
    return Path.of(Engine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static List<Class<?>> exportedClasses(Api api) throws Exception {
    Path root = classesRoot();
    List<Class<?>> out = new ArrayList<>();
    for (String p : api.packages()) {
      try (Stream<Path> files = Files.list(root.resolve(p.replace('.', '/')))) {
        for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
          String simple = f.getFileName().toString().replace(".class", "");
          out.add(Class.forName(p + "." + simple, false, ApiBoundaryTest.class.getClassLoader()));
        }
      }
    }
    for (String t : api.types()) {
      Class<?> c = Class.forName(t, false, ApiBoundaryTest.class.getClassLoader());
      out.add(c);
      addNested(c, out);
    }
    return out;
  }

  private static void addNested(Class<?> c, List<Class<?>> out) {
    for (Class<?> n : c.getDeclaredClasses()) {
      out.add(n);
      addNested(n, out);
    }
  }

  /** A public or protected part of a type's signature and the types it names. */
  record Member(String where, List<Class<?>> types) {}

  private static List<Member> publicMembers(Class<?> c) {
    List<Member> out = new ArrayList<>();
    List<Type> header = new ArrayList<>();
    if (c.getGenericSuperclass() != null) {
      header.add(c.getGenericSuperclass());
    }
    header.addAll(List.of(c.getGenericInterfaces()));
    out.add(new Member(c.getName(), named(header)));
    for (Field f : c.getDeclaredFields()) {
      if (visible(f.getModifiers()) && !f.isSynthetic()) {
        out.add(new Member(c.getName() + "." + f.getName(), named(List.of(f.getGenericType()))));
      }
    }
    List<Executable> executables = new ArrayList<>(List.of(c.getDeclaredMethods()));
    executables.addAll(List.of(c.getDeclaredConstructors()));
    for (Executable e : executables) {
      if (!visible(e.getModifiers()) || e.isSynthetic() || (e instanceof Method m && m.isBridge())) {
        continue;
      }
      List<Type> types = new ArrayList<>(List.of(e.getGenericParameterTypes()));
      types.addAll(List.of(e.getGenericExceptionTypes()));
      if (e instanceof Method m) {
        types.add(m.getGenericReturnType());
      }
      out.add(new Member(c.getName() + "." + e.getName() + "()", named(types)));
    }
    for (Class<?> n : c.getDeclaredClasses()) {
      if (visible(n.getModifiers())) {
        out.add(new Member(c.getName(), List.of(n)));
      }
    }
    return out;
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static List<Class<?>> named(List<Type> types) {
    List<Class<?>> out = new ArrayList<>();
    for (Type t : types) {
      collect(t, out, new ArrayList<>());
    }
    return out;
  }

  private static void collect(Type t, List<Class<?>> out, List<Type> seen) {
    if (seen.contains(t)) {
      return;
    }
    seen.add(t);
    if (t instanceof Class<?> c) {
      out.add(c.isArray() ? c.getComponentType() : c);
    } else if (t instanceof ParameterizedType p) {
      collect(p.getRawType(), out, seen);
      for (Type a : p.getActualTypeArguments()) {
        collect(a, out, seen);
      }
    } else if (t instanceof GenericArrayType a) {
      collect(a.getGenericComponentType(), out, seen);
    } else if (t instanceof WildcardType w) {
      Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds())).forEach(b -> collect(b, out, seen));
    } else if (t instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) {
        collect(b, out, seen);
      }
    }
  }
}
