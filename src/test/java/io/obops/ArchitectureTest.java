package io.obops;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The seams of ARCHITECTURE.md, enforced. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.obops");

  @Test
  void theTaskEngineImportsNoSpringWebChatSshOrOtherObopsCapability() {
    noClasses()
        .that()
        .resideInAPackage("io.obops.task..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "jakarta.servlet..",
            "net.dv8tion..",
            "net.schmizz..",
            "com.hierynomus..",
            "org.apache.sshd..",
            "io.obops.api..",
            "io.obops.chat..",
            "io.obops.remote..",
            "io.obops.obcluster..",
            "io.obops.cluster..",
            "io.obops.sandbox..")
        .check(CLASSES);
  }

  @Test
  void jdaIsImportedOnlyByTheDiscordAdapter() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.obops.chat.discord..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("net.dv8tion..")
        .check(CLASSES);
  }

  @Test
  void sshjIsImportedOnlyByTheRemotePackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.obops.remote..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("net.schmizz..", "com.hierynomus..")
        .check(CLASSES);
  }

  @Test
  void onlyTheApiPackageDependsOnSpringWeb() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.obops.api..", "io.obops.chat.web..", "io.obops")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework.web..", "jakarta.servlet..")
        .check(CLASSES);
  }

  /**
   * Guarantees live in the core: a surface (REST, the chat core and its adapters) neither decides
   * access nor writes the audit nor runs approvals or task operations itself; it calls the
   * operations layer.
   */
  @Test
  void surfacesCallTheOperationsLayerInsteadOfDecidingAccessOrAuditingThemselves() {
    noClasses()
        .that()
        .resideInAnyPackage("io.obops.api..", "io.obops.chat", "io.obops.chat.discord..")
        .should()
        .dependOnClassesThat(
            JavaClass.Predicates.equivalentTo(io.obops.access.AccessControl.class)
                .or(JavaClass.Predicates.equivalentTo(io.obops.audit.AuditLog.class))
                .or(JavaClass.Predicates.equivalentTo(io.obops.approval.ApprovalDecisions.class)))
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("io.obops.api..")
        .should()
        .dependOnClassesThat(
            JavaClass.Predicates.equivalentTo(io.obops.task.TaskEngine.class)
                .or(JavaClass.Predicates.equivalentTo(io.obops.cluster.ClusterInventory.class))
                .or(JavaClass.Predicates.equivalentTo(io.obops.approval.ApprovalRequests.class)))
        .check(CLASSES);
    Class<?>[] subtask = {long.class, long.class, String.class};
    var engine = io.obops.task.TaskEngine.class;
    noClasses()
        .that()
        .resideInAnyPackage("io.obops.api..", "io.obops.chat..")
        .should()
        .callMethod(engine, "retryTask", long.class, String.class)
        .orShould()
        .callMethod(engine, "retrySubtask", subtask)
        .orShould()
        .callMethod(engine, "skipSubtask", subtask)
        .orShould()
        .callMethod(engine, "cancelSubtask", subtask)
        .orShould()
        .callMethod(engine, "openGate", long.class)
        .check(CLASSES);
  }

  @Test
  void theCapabilitiesDependOnEachOtherWithoutCycles() {
    slices().matching("io.obops.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void chatDoesNotImportTheRestApi() {
    noClasses()
        .that()
        .resideInAPackage("io.obops.chat..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.obops.api..")
        .check(CLASSES);
  }

  @Test
  void minaSshdIsImportedOnlyByTheSandbox() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.obops.sandbox..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.sshd..")
        .check(CLASSES);
  }

  @Test
  void sharedOcpShapesDependOnNeitherSpringWebNorAnySurface() {
    noClasses()
        .that()
        .resideInAPackage("io.obops.ocp..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..", "jakarta.servlet..", "io.obops.api..", "io.obops.chat..")
        .check(CLASSES);
  }
}
