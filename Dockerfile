# obops: multi-stage build (Maven, then a JRE), runs as a non-root user. .dockerignore keeps
# secrets and local state (config/api-tokens.yml, data/, target/, .git, keys) out of the image.
#
# The image is NOT the embedded default: OBOPS_EMBEDDED=false and OBOPS_SANDBOX_ENABLED=false, so
# the web console is off until logins are configured, and every API call needs a bearer token.
# Production configuration comes from the environment, e.g.:
#   docker run -p 8080:8080 \
#     -e SPRING_DATASOURCE_URL=jdbc:postgresql://db:5432/obops \
#     -e SPRING_DATASOURCE_USERNAME=obops -e SPRING_DATASOURCE_PASSWORD=... \
#     -e OBOPS_INVENTORY_FILE=/app/config/clusters.yml -e OBOPS_ACCESS_FILE=/app/config/access.yml \
#     -e OBOPS_CONSOLE_USERS_0_NAME=alice -e 'OBOPS_CONSOLE_USERS_0_PASSWORDHASH={bcrypt}$2a$10$...' \
#     -e OBOPS_CONSOLE_ALLOWEDHOSTS=obops.example.com \
#     -v $PWD/config:/app/config:ro obops
# A look at the embedded default in a container, reachable from this machine only (its console has
# no login; SERVER_ADDRESS opens the container's port, -p 127.0.0.1:... keeps it on this machine):
#   docker run -p 127.0.0.1:8080:8080 -e OBOPS_EMBEDDED=true -e OBOPS_SANDBOX_ENABLED=true \
#     -e SERVER_ADDRESS=0.0.0.0 obops
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q -ntp dependency:go-offline
COPY src src
COPY db db
COPY config config
RUN ./mvnw -B -q -ntp -DskipTests package && cp target/obops-*.jar /src/obops.jar

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app obops
WORKDIR /app
ENV OBOPS_EMBEDDED=false OBOPS_SANDBOX_ENABLED=false
COPY --from=build /src/obops.jar /app/obops.jar
COPY --chown=obops config /app/config
RUN mkdir -p /app/data && chown obops /app/data
USER obops
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/obops.jar"]
