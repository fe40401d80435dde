<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>StatusWording</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 d</translation>
    </message>
    <message>
        <source>in sync</source>
        <translation>sincronizado</translation>
    </message>
    <message>
        <source>destination not available</source>
        <translation>destino no disponible</translation>
    </message>
    <message>
        <source>destination cannot be read</source>
        <translation>no se puede leer el destino</translation>
    </message>
    <message>
        <source>MLS count unknown</source>
        <translation>total del MLS desconocido</translation>
    </message>
    <message>
        <source>missing %1</source>
        <translation>faltan %1</translation>
    </message>
    <message>
        <source>%1 too many</source>
        <translation>%1 de más</translation>
    </message>
    <message>
        <source>newest %1 behind</source>
        <translation>lo más reciente, %1 atrasado</translation>
    </message>
    <message>
        <source>newest %1 ahead</source>
        <translation>lo más reciente, %1 adelantado</translation>
    </message>
    <message>
        <source>newest held is not a timestamp</source>
        <translation>lo más reciente guardado no es una marca de tiempo</translation>
    </message>
</context>
<context>
    <name>ors::BlockedStepsPanel</name>
    <message>
        <source>Blocked steps and refusals</source>
        <translation>Pasos bloqueados y rechazos</translation>
    </message>
    <message>
        <source>Not loaded yet</source>
        <translation>Aún no cargado</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>Blocked steps: %1</source>
        <translation>Pasos bloqueados: %1</translation>
    </message>
    <message>
        <source>the last purge was refused</source>
        <translation>la última purga fue rechazada</translation>
    </message>
    <message>
        <source>Nothing blocked</source>
        <translation>Nada bloqueado</translation>
    </message>
    <message>
        <source> · </source>
        <translation> · </translation>
    </message>
    <message>
        <source>The %1 of %2 is blocked</source>
        <translation>La %1 de %2 está bloqueada</translation>
    </message>
    <message>
        <source>%1 → %2: %3 failed, %4 times in a row%5</source>
        <translation>%1 → %2: %3 falló %4 veces seguidas%5</translation>
    </message>
    <message>
        <source>applying %1</source>
        <translation>aplicando %1</translation>
    </message>
    <message>
        <source> (not blocked yet)</source>
        <translation> (aún sin bloquear)</translation>
    </message>
    <message>
        <source>Last error (%1): %2</source>
        <translation>Último error (%1): %2</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Retry %1</source>
        <translation>Reintentar %1</translation>
    </message>
    <message>
        <source>Clear the failure counters: the next run tries the step again</source>
        <translation>Borra los contadores de fallas: la próxima ejecución vuelve a intentar el paso</translation>
    </message>
    <message>
        <source>Skip file…</source>
        <translation>Omitir archivo…</translation>
    </message>
    <message>
        <source>Skip file of %1</source>
        <translation>Omitir archivo de %1</translation>
    </message>
    <message>
        <source>Count the failing file as applied for the destination that keeps failing; reconcile fetches what it missed</source>
        <translation>Cuenta el archivo que falla como aplicado en el destino que sigue fallando; la conciliación obtiene lo que le faltó</translation>
    </message>
    <message>
        <source>Discard batch…</source>
        <translation>Descartar lote…</translation>
    </message>
    <message>
        <source>Discard batch of %1</source>
        <translation>Descartar lote de %1</translation>
    </message>
    <message>
        <source>Drop the whole unfinished batch; the next run downloads again from the high-water marks</source>
        <translation>Descarta todo el lote sin terminar; la próxima ejecución vuelve a descargar desde las marcas de avance</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Confirmar</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Conservarlo</translation>
    </message>
    <message>
        <source>Skip the failing file(s) of %1 %2? The destination misses their records until a reconcile.</source>
        <translation>¿Omitir los archivos que fallan de la %2 de %1? Al destino le faltarán esos registros hasta una conciliación.</translation>
    </message>
    <message>
        <source>Skip file</source>
        <translation>Omitir archivo</translation>
    </message>
    <message>
        <source>Discard the unfinished %1 batch of %2? Its downloaded files are deleted.</source>
        <translation>¿Descartar el lote de %1 sin terminar de %2? Se eliminan sus archivos descargados.</translation>
    </message>
    <message>
        <source>Discard batch</source>
        <translation>Descartar lote</translation>
    </message>
    <message>
        <source>The last purge was refused (%1)</source>
        <translation>La última purga fue rechazada (%1)</translation>
    </message>
    <message>
        <source>Nothing was deleted. If the MLS really removed these records, allow the purge once; the limits stay in place for later runs.</source>
        <translation>No se eliminó nada. Si el MLS realmente quitó estos registros, permita la purga una vez; los límites se mantienen para las próximas ejecuciones.</translation>
    </message>
    <message>
        <source>Allow this once</source>
        <translation>Permitir esta vez</translation>
    </message>
    <message>
        <source>Run the purge now without its delete limits</source>
        <translation>Ejecutar la purga ahora sin sus límites de eliminación</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Procesando…</translation>
    </message>
</context>
<context>
    <name>ors::ChartsView</name>
    <message>
        <source>Chart range</source>
        <translation>Rango de los gráficos</translation>
    </message>
    <message>
        <source>Last %1 days</source>
        <translation>Últimos %1 días</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>Refresh charts</source>
        <translation>Actualizar gráficos</translation>
    </message>
    <message>
        <source>R&amp;ange:</source>
        <translation>R&amp;ango:</translation>
    </message>
    <message>
        <source>Records synced per run</source>
        <translation>Registros sincronizados por ejecución</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Proceso</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>Descargados</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>Aplicados</translation>
    </message>
    <message>
        <source>Run durations</source>
        <translation>Duración de las ejecuciones</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>MLS vs destination counts</source>
        <translation>Totales del MLS frente al destino</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>Recurso</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Registros</translation>
    </message>
    <message>
        <source>Requests per hour</source>
        <translation>Solicitudes por hora</translation>
    </message>
    <message>
        <source>Hour</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Solicitudes</translation>
    </message>
    <message>
        <source>Throttled</source>
        <translation>Limitadas</translation>
    </message>
    <message>
        <source>Quota</source>
        <translation>Cuota</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Gráficos</translation>
    </message>
    <message>
        <source>%1 table</source>
        <translation>Tabla de %1</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>Tabla</translation>
    </message>
    <message>
        <source>Show %1 as a table</source>
        <translation>Mostrar %1 como tabla</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>local time</source>
        <translation>hora local</translation>
    </message>
    <message>
        <source>Charts not readable: %1</source>
        <translation>No se pueden leer los gráficos: %1</translation>
    </message>
    <message>
        <source>Nothing recorded in this range yet</source>
        <translation>Aún no hay nada registrado en este rango</translation>
    </message>
    <message>
        <source>1 run in this range</source>
        <translation>1 ejecución en este rango</translation>
    </message>
    <message>
        <source>%1 runs in this range</source>
        <translation>%1 ejecuciones en este rango</translation>
    </message>
    <message>
        <source>records</source>
        <translation>registros</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>minutos</translation>
    </message>
    <message>
        <source>MLS</source>
        <translation>MLS</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>requests</source>
        <translation>solicitudes</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>Quota (%1 per hour)</source>
        <translation>Cuota (%1 por hora)</translation>
    </message>
</context>
<context>
    <name>ors::CloseGuard</name>
    <message>
        <source>OpenReSync keeps running</source>
        <translation>OpenReSync sigue en ejecución</translation>
    </message>
    <message>
        <source>Jobs and schedules go on in the background. Open the window or quit from the tray icon&apos;s menu; Edit ▸ Preferences turns this off.</source>
        <translation>Los trabajos y las programaciones continúan en segundo plano. Abra la ventana o salga desde el menú del ícono en la bandeja del sistema; Editar ▸ Preferencias desactiva este comportamiento.</translation>
    </message>
    <message>
        <source>Quit OpenReSync</source>
        <translation>Salir de OpenReSync</translation>
    </message>
    <message>
        <source>A job is running or waiting. Quit anyway?</source>
        <translation>Hay un trabajo en ejecución o en espera. ¿Salir de todos modos?</translation>
    </message>
    <message>
        <source>%1 jobs are running or waiting. Quit anyway?</source>
        <translation>Hay %1 trabajos en ejecución o en espera. ¿Salir de todos modos?</translation>
    </message>
    <message>
        <source>Running jobs stop at their next checkpoint and resume where they stopped next time.</source>
        <translation>Los trabajos en ejecución se detienen en su próximo punto de control y la próxima vez continúan donde se detuvieron.</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
    <message>
        <source>Keep running</source>
        <translation>Seguir en ejecución</translation>
    </message>
</context>
<context>
    <name>ors::ConnectionPage</name>
    <message>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <source>Where the server is and how OpenReSync signs in. Secrets are never written into the configuration file, only a reference to where they are kept.</source>
        <translation>Dónde está el servidor y cómo inicia sesión OpenReSync. Los secretos nunca se escriben en el archivo de configuración, solo una referencia al lugar donde se guardan.</translation>
    </message>
    <message>
        <source>Service &amp;URL:</source>
        <translation>&amp;URL del servicio:</translation>
    </message>
    <message>
        <source>Service URL</source>
        <translation>URL del servicio</translation>
    </message>
    <message>
        <source>&amp;Originating system:</source>
        <translation>Sistema de &amp;origen:</translation>
    </message>
    <message>
        <source>Originating system</source>
        <translation>Sistema de origen</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Autenticación</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguna</translation>
    </message>
    <message>
        <source>Bearer token</source>
        <translation>Token bearer</translation>
    </message>
    <message>
        <source>OAuth2 client credentials</source>
        <translation>Credenciales de cliente OAuth2</translation>
    </message>
    <message>
        <source>OAuth2 username and password</source>
        <translation>Usuario y contraseña OAuth2</translation>
    </message>
    <message>
        <source>&amp;Authentication:</source>
        <translation>Au&amp;tenticación:</translation>
    </message>
    <message>
        <source>&amp;Token URL:</source>
        <translation>URL del to&amp;ken:</translation>
    </message>
    <message>
        <source>Token URL</source>
        <translation>URL del token</translation>
    </message>
    <message>
        <source>&amp;Client ID:</source>
        <translation>&amp;ID de cliente:</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>ID de cliente</translation>
    </message>
    <message>
        <source>Client &amp;secret:</source>
        <translation>Secreto del c&amp;liente:</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Secreto del cliente</translation>
    </message>
    <message>
        <source>&amp;Bearer token:</source>
        <translation>Token &amp;bearer:</translation>
    </message>
    <message>
        <source>User&amp;name:</source>
        <translation>Nombre de usua&amp;rio:</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Contraseña:</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>Keep secrets in</source>
        <translation>Guardar secretos en</translation>
    </message>
    <message>
        <source>The system keychain</source>
        <translation>El llavero del sistema</translation>
    </message>
    <message>
        <source>Environment variables</source>
        <translation>Variables de entorno</translation>
    </message>
    <message>
        <source>&amp;Keep secrets in:</source>
        <translation>&amp;Guardar secretos en:</translation>
    </message>
    <message>
        <source>Where secrets are kept</source>
        <translation>Dónde se guardan los secretos</translation>
    </message>
    <message>
        <source>unchanged (leave empty to keep the stored secret)</source>
        <translation>sin cambios (deje vacío para conservar el secreto guardado)</translation>
    </message>
    <message>
        <source>Looking for a system keychain…</source>
        <translation>Buscando un llavero del sistema…</translation>
    </message>
    <message>
        <source>No system keychain works here (%1), so secrets are kept in environment variables.</source>
        <translation>Aquí no funciona ningún llavero del sistema (%1), así que los secretos se guardan en variables de entorno.</translation>
    </message>
    <message>
        <source>The configuration will name %1: set it in the environment of openresync-cli serve and of this window before the first sync.</source>
        <translation>La configuración nombrará %1: defínala en el entorno de openresync-cli serve y de esta ventana antes de la primera sincronización.</translation>
    </message>
    <message>
        <source>Secrets typed here are stored in the system keychain when you finish.</source>
        <translation>Los secretos escritos aquí se guardan en el llavero del sistema al finalizar.</translation>
    </message>
</context>
<context>
    <name>ors::DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Orígenes</translation>
    </message>
    <message>
        <source>No sources are configured yet. Add one with the wizard, or write it into the configuration file and reload it.</source>
        <translation type="vanished">Aún no hay orígenes configurados. Agregue uno con el asistente, o escríbalo en el archivo de configuración y vuelva a cargarlo.</translation>
    </message>
    <message>
        <source>&amp;Add source…</source>
        <translation type="vanished">&amp;Agregar origen…</translation>
    </message>
    <message>
        <source>Add source</source>
        <translation type="vanished">Agregar origen</translation>
    </message>
    <message>
        <source>Could not read the last runs: %1</source>
        <translation>No se pudieron leer las últimas ejecuciones: %1</translation>
    </message>
    <message>
        <source>1 source</source>
        <translation>1 origen</translation>
    </message>
    <message>
        <source>%1 sources</source>
        <translation>%1 orígenes</translation>
    </message>
    <message>
        <source>%1 running</source>
        <translation>%1 en ejecución</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 con fallas</translation>
    </message>
    <message>
        <source>%1 blocked</source>
        <translation>%1 bloqueados</translation>
    </message>
    <message>
        <source>%1 differ from the MLS</source>
        <translation>%1 difieren del MLS</translation>
    </message>
    <message>
        <source>nothing wrong</source>
        <translation>todo en orden</translation>
    </message>
    <message>
        <source>Welcome to OpenReSync</source>
        <translation>Bienvenido a OpenReSync</translation>
    </message>
    <message>
        <source>OpenReSync keeps a copy of your MLS&apos;s listings, media, members and offices in databases you own, and shows how close that copy is to the MLS.

Add your MLS connection (Trestle, MLS Grid, Bridge, Spark or any RESO Web API), or try it first with demo data: a sample RESO server on this computer with generated listings, synced into a local SQLite file.</source>
        <translation>OpenReSync mantiene una copia de los anuncios, medios, miembros y oficinas de su MLS en bases de datos propias, y muestra cuánto se acerca esa copia al MLS.

Agregue la conexión a su MLS (Trestle, MLS Grid, Bridge, Spark o cualquier RESO Web API), o pruébelo primero con datos de demostración: un servidor RESO de ejemplo en este equipo con anuncios generados, sincronizados en un archivo SQLite local.</translation>
    </message>
    <message>
        <source>&amp;Add a source…</source>
        <translation>&amp;Agregar un origen…</translation>
    </message>
    <message>
        <source>Add a source</source>
        <translation>Agregar un origen</translation>
    </message>
    <message>
        <source>&amp;Try with demo data</source>
        <translation>&amp;Probar con datos de demostración</translation>
    </message>
    <message>
        <source>Try with demo data</source>
        <translation>Probar con datos de demostración</translation>
    </message>
</context>
<context>
    <name>ors::DemoServer</name>
    <message>
        <source>The demo folder %1 cannot be made: %2</source>
        <translation>No se puede crear la carpeta de demostración %1: %2</translation>
    </message>
    <message>
        <source>The sample RESO server (%1) is not installed beside OpenReSync, so the demo cannot start. Reinstall the package, or set OPENRESYNC_SAMPLE_SERVER to its path.</source>
        <translation>El servidor RESO de ejemplo (%1) no está instalado junto a OpenReSync, así que la demostración no puede iniciarse. Reinstale el paquete o indique su ruta en OPENRESYNC_SAMPLE_SERVER.</translation>
    </message>
    <message>
        <source>The sample RESO server stopped at once; see %1.</source>
        <translation>El servidor RESO de ejemplo se detuvo de inmediato; consulte %1.</translation>
    </message>
    <message>
        <source>The sample RESO server did not start within %1 seconds; see %2.</source>
        <translation>El servidor RESO de ejemplo no se inició en %1 segundos; consulte %2.</translation>
    </message>
</context>
<context>
    <name>ors::DestinationsPage</name>
    <message>
        <source>Destinations</source>
        <translation>Destinos</translation>
    </message>
    <message>
        <source>Where the copy of the records is kept.</source>
        <translation>Dónde se guarda la copia de los registros.</translation>
    </message>
    <message>
        <source>Destination type</source>
        <translation>Tipo de destino</translation>
    </message>
    <message>
        <source>SQLite file</source>
        <translation>Archivo SQLite</translation>
    </message>
    <message>
        <source>MySQL or MariaDB</source>
        <translation>MySQL o MariaDB</translation>
    </message>
    <message>
        <source>Destination name</source>
        <translation>Nombre del destino</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Puerto</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Base de datos</translation>
    </message>
    <message>
        <source>Database user</source>
        <translation>Usuario de la base de datos</translation>
    </message>
    <message>
        <source>Database password</source>
        <translation>Contraseña de la base de datos</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Probar conexión</translation>
    </message>
    <message>
        <source>Test destination connection</source>
        <translation>Probar conexión con el destino</translation>
    </message>
    <message>
        <source>Destination test result</source>
        <translation>Resultado de la prueba del destino</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>&amp;Tipo:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>No&amp;mbre:</translation>
    </message>
    <message>
        <source>SQLite &amp;file:</source>
        <translation>Archivo S&amp;QLite:</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>P&amp;uerto:</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>Base de &amp;datos:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>Usua&amp;rio:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>C&amp;ontraseña:</translation>
    </message>
    <message>
        <source>unchanged (leave empty to keep the stored secret)</source>
        <translation>sin cambios (deje vacío para conservar el secreto guardado)</translation>
    </message>
    <message>
        <source>The password is kept like the connection&apos;s secrets (see the Connection page).</source>
        <translation>La contraseña se guarda como los secretos de la conexión (vea la página Conexión).</translation>
    </message>
    <message>
        <source>The file and its folder are created at the first sync.</source>
        <translation>El archivo y su carpeta se crean en la primera sincronización.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Probando…</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Falló: %1</translation>
    </message>
    <message>
        <source>Works: %1</source>
        <translation>Funciona: %1</translation>
    </message>
</context>
<context>
    <name>ors::DisplayTime</name>
    <message>
        <source>just now</source>
        <translation>justo ahora</translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n h</numerusform>
            <numerusform>%n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation>
            <numerusform>%n día</numerusform>
            <numerusform>%n días</numerusform>
        </translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>en %1</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>hace %1</translation>
    </message>
    <message>
        <source>%1 UTC</source>
        <translation>%1 UTC</translation>
    </message>
</context>
<context>
    <name>ors::HistoryView</name>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Process filter</source>
        <translation>Filtro de proceso</translation>
    </message>
    <message>
        <source>All processes</source>
        <translation>Todos los procesos</translation>
    </message>
    <message>
        <source>Result filter</source>
        <translation>Filtro de resultado</translation>
    </message>
    <message>
        <source>All results</source>
        <translation>Todos los resultados</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>Cualquiera</translation>
    </message>
    <message>
        <source>Started from</source>
        <translation>Iniciadas desde</translation>
    </message>
    <message>
        <source>Started to</source>
        <translation>Iniciadas hasta</translation>
    </message>
    <message>
        <source>Runs started on or after this day (Any: no limit)</source>
        <translation>Ejecuciones iniciadas en este día o después (Cualquiera: sin límite)</translation>
    </message>
    <message>
        <source>Runs started on or before this day (Any: no limit)</source>
        <translation>Ejecuciones iniciadas en este día o antes (Cualquiera: sin límite)</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>Refresh history</source>
        <translation>Actualizar historial</translation>
    </message>
    <message>
        <source>Newer</source>
        <translation>Más recientes</translation>
    </message>
    <message>
        <source>Newer runs</source>
        <translation>Ejecuciones más recientes</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Más antiguas</translation>
    </message>
    <message>
        <source>Older runs</source>
        <translation>Ejecuciones más antiguas</translation>
    </message>
    <message>
        <source>&amp;Process:</source>
        <translation>Proc&amp;eso:</translation>
    </message>
    <message>
        <source>&amp;Result:</source>
        <translation>Resu&amp;ltado:</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Desde:</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>H&amp;asta:</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Proceso</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Registros</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>History not readable: %1</source>
        <translation>No se puede leer el historial: %1</translation>
    </message>
    <message>
        <source>Started (%1)</source>
        <translation>Inicio (%1)</translation>
    </message>
    <message>
        <source>No runs</source>
        <translation>Sin ejecuciones</translation>
    </message>
    <message>
        <source>runs %1–%2 of %3</source>
        <translation>ejecuciones %1–%2 de %3</translation>
    </message>
    <message>
        <source>%1 UTC, batch %2</source>
        <translation>%1 UTC, lote %2</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>Recurso</translation>
    </message>
    <message>
        <source>downloaded</source>
        <translation>descargados</translation>
    </message>
    <message>
        <source>%1 expected, </source>
        <translation>%1 esperados, </translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 página</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 páginas</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Destino</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>applied</source>
        <translation>aplicados</translation>
    </message>
    <message>
        <source>Failure</source>
        <translation>Falla</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historial</translation>
    </message>
</context>
<context>
    <name>ors::JobsModel</name>
    <message>
        <source>sync</source>
        <translation>sincronización</translation>
    </message>
    <message>
        <source>purge</source>
        <translation>purga</translation>
    </message>
    <message>
        <source>reconcile</source>
        <translation>conciliación</translation>
    </message>
    <message>
        <source>schedule</source>
        <translation>programación</translation>
    </message>
    <message>
        <source>catch-up</source>
        <translation>recuperación</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>manual</translation>
    </message>
    <message>
        <source>cancelling</source>
        <translation>cancelando</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en ejecución</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en cola</translation>
    </message>
    <message>
        <source>reading metadata</source>
        <translation>leyendo metadatos</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>descargando</translation>
    </message>
    <message>
        <source>downloading keys</source>
        <translation>descargando claves</translation>
    </message>
    <message>
        <source>applying</source>
        <translation>aplicando</translation>
    </message>
    <message>
        <source>fetching missing</source>
        <translation>obteniendo faltantes</translation>
    </message>
    <message>
        <source>purging</source>
        <translation>purgando</translation>
    </message>
    <message>
        <source>done</source>
        <translation>terminado</translation>
    </message>
    <message>
        <source>%1 / %2 records</source>
        <translation>%1 / %2 registros</translation>
    </message>
    <message>
        <source>%1 records</source>
        <translation>%1 registros</translation>
    </message>
    <message>
        <source>%1 records/s</source>
        <translation>%1 registros/s</translation>
    </message>
    <message>
        <source>%1 (%2 only)</source>
        <translation>%1 (solo %2)</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>iniciando</translation>
    </message>
    <message>
        <source>Waits for a free slot or for this source&apos;s running job</source>
        <translation>Espera un espacio libre o a que termine el trabajo en curso de este origen</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Proceso</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>Iniciado por</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Fase</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>Recurso</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progreso</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Velocidad</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>Restante</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>En cola desde</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Inicio</translation>
    </message>
</context>
<context>
    <name>ors::JobsPage</name>
    <message>
        <source>Jobs</source>
        <translation>Trabajos</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>Cancelar trabajo</translation>
    </message>
    <message>
        <source>Stop the selected job at its next checkpoint (the next run resumes from there), or drop it from the queue if it has not started</source>
        <translation>Detiene el trabajo seleccionado en su próximo punto de control (la próxima ejecución continúa desde ahí), o lo quita de la cola si no ha empezado</translation>
    </message>
    <message>
        <source>Pause all schedules</source>
        <translation>Pausar todas las programaciones</translation>
    </message>
    <message>
        <source>Skip every scheduled run until resumed; running jobs go on</source>
        <translation>Omite toda ejecución programada hasta reanudar; los trabajos en curso continúan</translation>
    </message>
    <message>
        <source>Resume all schedules</source>
        <translation>Reanudar todas las programaciones</translation>
    </message>
    <message>
        <source>Run schedules again from their next fire; fires missed while paused do not run</source>
        <translation>Vuelve a ejecutar las programaciones desde su próximo disparo; los disparos perdidos durante la pausa no se ejecutan</translation>
    </message>
    <message>
        <source>Running jobs first, then queued jobs in the order they will start</source>
        <translation>Primero los trabajos en ejecución, luego los que están en cola, en el orden en que empezarán</translation>
    </message>
    <message>
        <source>Schedules are paused: nothing runs until they are resumed or a job is started by hand.</source>
        <translation>Las programaciones están en pausa: nada se ejecuta hasta reanudarlas o iniciar un trabajo a mano.</translation>
    </message>
    <message>
        <source>No schedules are configured.</source>
        <translation>No hay programaciones configuradas.</translation>
    </message>
    <message>
        <source>Next: %1 at %2.</source>
        <translation>Próximo: %1 a las %2.</translation>
    </message>
    <message>
        <source>1 running</source>
        <translation>1 en ejecución</translation>
    </message>
    <message>
        <source>%1 running</source>
        <translation>%1 en ejecución</translation>
    </message>
    <message>
        <source>1 queued</source>
        <translation>1 en cola</translation>
    </message>
    <message>
        <source>%1 queued</source>
        <translation>%1 en cola</translation>
    </message>
    <message>
        <source>schedules paused</source>
        <translation>programaciones en pausa</translation>
    </message>
    <message>
        <source>schedules active</source>
        <translation>programaciones activas</translation>
    </message>
    <message>
        <source>No jobs running.</source>
        <translation>No hay trabajos en ejecución.</translation>
    </message>
    <message>
        <source>No jobs running. %1</source>
        <translation>No hay trabajos en ejecución. %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>source, process</comment>
        <translation>%2 de %1</translation>
    </message>
</context>
<context>
    <name>ors::LogTableModel</name>
    <message>
        <source>malformed</source>
        <translation>mal formada</translation>
    </message>
    <message>
        <source>debug</source>
        <translation>depuración</translation>
    </message>
    <message>
        <source>info</source>
        <translation>info</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>advertencia</translation>
    </message>
    <message>
        <source>error</source>
        <translation>error</translation>
    </message>
    <message>
        <source>[malformed log line] %1</source>
        <translation>[línea de bitácora mal formada] %1</translation>
    </message>
    <message>
        <source>Time (%1)</source>
        <translation>Hora (%1)</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Nivel</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Proceso</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>Recurso</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
</context>
<context>
    <name>ors::LogsPage</name>
    <message>
        <source>Log source</source>
        <translation>Origen de la bitácora</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>O&amp;rigen:</translation>
    </message>
    <message>
        <source>Level filter</source>
        <translation>Filtro de nivel</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>Todos los niveles</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>Info y superiores</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Advertencias y errores</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Solo errores</translation>
    </message>
    <message>
        <source>Process filter</source>
        <translation>Filtro de proceso</translation>
    </message>
    <message>
        <source>All processes</source>
        <translation>Todos los procesos</translation>
    </message>
    <message>
        <source>Resource filter</source>
        <translation>Filtro de recurso</translation>
    </message>
    <message>
        <source>All resources</source>
        <translation>Todos los recursos</translation>
    </message>
    <message>
        <source>Filter logs…</source>
        <translation>Filtrar bitácora…</translation>
    </message>
    <message>
        <source>&amp;Follow new lines</source>
        <translation>&amp;Seguir las líneas nuevas</translation>
    </message>
    <message>
        <source>Follow new lines</source>
        <translation>Seguir las líneas nuevas</translation>
    </message>
    <message>
        <source>Scroll to each new line as it is written</source>
        <translation>Desplaza la vista a cada línea nueva a medida que se escribe</translation>
    </message>
    <message>
        <source>Log lines</source>
        <translation>Líneas de la bitácora</translation>
    </message>
    <message>
        <source>Line details</source>
        <translation>Detalles de la línea</translation>
    </message>
    <message>
        <source>Select a line to see all its fields.</source>
        <translation>Seleccione una línea para ver todos sus campos.</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Bitácora</translation>
    </message>
    <message>
        <source>No source is configured, so there is no log to show.</source>
        <translation>No hay ningún origen configurado, así que no hay bitácora que mostrar.</translation>
    </message>
    <message>
        <source>Reading the end of the log…</source>
        <translation>Leyendo el final de la bitácora…</translation>
    </message>
    <message>
        <source>The log cannot be read: %1</source>
        <translation>No se puede leer la bitácora: %1</translation>
    </message>
    <message>
        <source>1 line.</source>
        <translation>1 línea.</translation>
    </message>
    <message>
        <source>%1 lines.</source>
        <translation>%1 líneas.</translation>
    </message>
    <message>
        <source>%1 of %2 lines match the filters.</source>
        <translation>%1 de %2 líneas coinciden con los filtros.</translation>
    </message>
    <message>
        <source>Only the most recent %1 lines are kept here; older lines are in %2.</source>
        <translation>Aquí solo se conservan las %1 líneas más recientes; las anteriores están en %2.</translation>
    </message>
    <message>
        <source>At most the %1 most recent lines are kept.</source>
        <translation>Se conservan como máximo las %1 líneas más recientes.</translation>
    </message>
    <message>
        <source>This line is not a JSON object; it is shown as written:
%1</source>
        <translation>Esta línea no es un objeto JSON; se muestra tal como se escribió:
%1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Nivel</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Proceso</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>Recurso</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>%1 (%2), %3</source>
        <translation>%1 (%2), %3</translation>
    </message>
</context>
<context>
    <name>ors::MainWindow</name>
    <message>
        <source>OpenReSync</source>
        <translation>OpenReSync</translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation>Navegación</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Reload configuration</source>
        <translation>&amp;Recargar configuración</translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <source>Open &amp;data folder</source>
        <translation>Abrir carpeta de &amp;datos</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Source</source>
        <translation>&amp;Origen</translation>
    </message>
    <message>
        <source>Sync &amp;now</source>
        <translation>Sincronizar a&amp;hora</translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <source>&amp;Purge</source>
        <translation>&amp;Purgar</translation>
    </message>
    <message>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <source>&amp;Reconcile</source>
        <translation>&amp;Conciliar</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>Ca&amp;ncelar</translation>
    </message>
    <message>
        <source>Ctrl+Shift+X</source>
        <translation>Ctrl+Shift+X</translation>
    </message>
    <message>
        <source>&amp;Look up record…</source>
        <translation>&amp;Buscar registro…</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>Ac&amp;tualizar</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>&amp;Guía del usuario</translation>
    </message>
    <message>
        <source>&amp;About OpenReSync</source>
        <translation>&amp;Acerca de OpenReSync</translation>
    </message>
    <message>
        <source>&amp;Dashboard</source>
        <translation>&amp;Panel</translation>
    </message>
    <message>
        <source>&amp;Schedule</source>
        <translation>Pro&amp;gramación</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>&amp;Trabajos</translation>
    </message>
    <message>
        <source>&amp;Logs</source>
        <translation>&amp;Bitácora</translation>
    </message>
    <message>
        <source>&amp;Next page</source>
        <translation>Página &amp;siguiente</translation>
    </message>
    <message>
        <source>&amp;Previous page</source>
        <translation>Página a&amp;nterior</translation>
    </message>
    <message>
        <source>Data: %1</source>
        <translation>Datos: %1</translation>
    </message>
    <message>
        <source>Configuration: %1
Data: %2</source>
        <translation>Configuración: %1
Datos: %2</translation>
    </message>
    <message>
        <source>The configuration %1 could not be loaded. Fix it, then choose File ▸ Reload configuration.
%2</source>
        <translation>No se pudo cargar la configuración %1. Corríjala y luego elija Archivo ▸ Recargar configuración.
%2</translation>
    </message>
    <message>
        <source>The configuration has warnings:
%1</source>
        <translation>La configuración tiene advertencias:
%1</translation>
    </message>
    <message>
        <source>No job running</source>
        <translation>Ningún trabajo en ejecución</translation>
    </message>
    <message>
        <source>1 job running</source>
        <translation>1 trabajo en ejecución</translation>
    </message>
    <message>
        <source>%1 jobs running</source>
        <translation>%1 trabajos en ejecución</translation>
    </message>
    <message>
        <source>%1 %2%</source>
        <translation>%1 %2 %</translation>
    </message>
    <message>
        <source>%1 queued</source>
        <translation>%1 en cola</translation>
    </message>
    <message>
        <source>schedules paused</source>
        <translation>programaciones en pausa</translation>
    </message>
    <message>
        <source>next: %1 %2 at %3</source>
        <translation>próxima: %2 de %1 a las %3</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>en %1</translation>
    </message>
    <message>
        <source>The schedules could not be started: %1</source>
        <translation>No se pudieron iniciar las programaciones: %1</translation>
    </message>
    <message>
        <source>openresync-cli serve (process %1)</source>
        <translation>openresync-cli serve (proceso %1)</translation>
    </message>
    <message>
        <source>another OpenReSync window (process %1)</source>
        <translation>otra ventana de OpenReSync (proceso %1)</translation>
    </message>
    <message>
        <source>Schedules run in %1; this window runs none, sends its requests there and shows its jobs.</source>
        <translation>Las programaciones se ejecutan en %1; esta ventana no ejecuta ninguna, le envía sus solicitudes y muestra sus trabajos.</translation>
    </message>
    <message>
        <source>Schedules run in %1; this window runs none and sends its requests there (its jobs cannot be followed).</source>
        <translation>Las programaciones se ejecutan en %1; esta ventana no ejecuta ninguna y le envía sus solicitudes (sus trabajos no se pueden seguir).</translation>
    </message>
    <message>
        <source>%1 could not be sent to %2: %3</source>
        <translation>No se pudo enviar %1 a %2: %3</translation>
    </message>
    <message>
        <source>%1 started in %2.</source>
        <translation>%1 se inició en %2.</translation>
    </message>
    <message>
        <source>%1 is already queued in %2.</source>
        <translation>%1 ya está en cola en %2.</translation>
    </message>
    <message>
        <source>%1 is queued in %2.</source>
        <translation>%1 está en cola en %2.</translation>
    </message>
    <message>
        <source>%1 asked %2 to cancel the jobs of %3.</source>
        <translation>%1 pidió a %2 cancelar los trabajos de %3.</translation>
    </message>
    <message>
        <source>%1 has no job in %2.</source>
        <translation>%1 no tiene ningún trabajo en %2.</translation>
    </message>
    <message>
        <source>%1: done in %2.</source>
        <translation>%1: terminada en %2.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <source>%1 is queued: it starts when the source&apos;s running job has ended and a slot is free.</source>
        <translation>%1 está en cola: empieza cuando termine el trabajo en curso del origen y haya un espacio libre.</translation>
    </message>
    <message>
        <source>%1 is already queued.</source>
        <translation>%1 ya está en cola.</translation>
    </message>
    <message>
        <source>%1 is not in the configuration the jobs run from.</source>
        <translation>%1 no está en la configuración con la que se ejecutan los trabajos.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Pausing all schedules</source>
        <translation>Pausando todas las programaciones</translation>
    </message>
    <message>
        <source>Resuming all schedules</source>
        <translation>Reanudando todas las programaciones</translation>
    </message>
    <message>
        <source>Pausing the schedules of %1</source>
        <translation>Pausando las programaciones de %1</translation>
    </message>
    <message>
        <source>Resuming the schedules of %1</source>
        <translation>Reanudando las programaciones de %1</translation>
    </message>
    <message>
        <source>%1 of %2 finished: %3 records downloaded, %4 applied.</source>
        <translation>%1 de %2 terminada: %3 registros descargados, %4 aplicados.</translation>
    </message>
    <message>
        <source>%1 of %2 cancelled; the next %3 resumes where it stopped.</source>
        <translation>%1 de %2 cancelada; la próxima %3 continúa donde se detuvo.</translation>
    </message>
    <message>
        <source>%1 of %2 failed: %3</source>
        <translation>%1 de %2 falló: %3</translation>
    </message>
    <message>
        <source>The configuration %1 was not reloaded; the one loaded before stays in use.
%2</source>
        <translation>La configuración %1 no se recargó; se sigue usando la cargada antes.
%2</translation>
    </message>
    <message>
        <source>Configuration reloaded in this window; %1 keeps its own until it is reloaded there.</source>
        <translation>Configuración recargada en esta ventana; %1 conserva la suya hasta que se recargue allí.</translation>
    </message>
    <message>
        <source>Configuration reloaded: %1.</source>
        <translation>Configuración recargada: %1.</translation>
    </message>
    <message>
        <source>1 source</source>
        <translation>1 origen</translation>
    </message>
    <message>
        <source>%1 sources</source>
        <translation>%1 orígenes</translation>
    </message>
    <message>
        <source>No file manager opened %1.</source>
        <translation>Ningún administrador de archivos abrió %1.</translation>
    </message>
    <message>
        <source>The user guide could not be opened; it is docs/user-guide.md in the sources.</source>
        <translation>No se pudo abrir la guía del usuario; es docs/user-guide.md en el código fuente.</translation>
    </message>
    <message>
        <source>About OpenReSync</source>
        <translation>Acerca de OpenReSync</translation>
    </message>
    <message>
        <source>OpenReSync %1
Replicates RESO Web API data into your databases.</source>
        <translation>OpenReSync %1
Replica datos de RESO Web API en sus bases de datos.</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferencias…</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>&amp;Add source…</source>
        <translation>&amp;Agregar origen…</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <source>Source %1 added to the configuration.</source>
        <translation>Origen %1 agregado a la configuración.</translation>
    </message>
    <message>
        <source>Source %1 saved.</source>
        <translation>Origen %1 guardado.</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>source, process</comment>
        <translation>%2 de %1</translation>
    </message>
    <message>
        <source>schedules run here since %1 stopped</source>
        <translation>las programaciones se ejecutan aquí desde que %1 se detuvo</translation>
    </message>
    <message>
        <source>%1 has a running or queued job, so it is not removed. Remove it once the job has finished, or cancel the job first.</source>
        <translation>%1 tiene un trabajo en ejecución o en cola, así que no se quita. Quítelo cuando el trabajo termine, o cancele antes el trabajo.</translation>
    </message>
    <message>
        <source>%1 is not removed: %2</source>
        <translation>%1 no se quitó: %2</translation>
    </message>
    <message>
        <source>Source %1 removed from the configuration.</source>
        <translation>El origen %1 se quitó de la configuración.</translation>
    </message>
    <message>
        <source>Dropped: %1.</source>
        <translation>Tablas eliminadas: %1.</translation>
    </message>
    <message>
        <source>Its data in the data directory is deleted.</source>
        <translation>Sus datos en el directorio de datos se borraron.</translation>
    </message>
    <message>
        <source>Keychain entries deleted: %1.</source>
        <translation>Entradas del llavero borradas: %1.</translation>
    </message>
    <message>
        <source>Left behind: %1</source>
        <translation>Quedó sin borrar: %1</translation>
    </message>
    <message>
        <source>%1 stopped; this window runs the schedules now.</source>
        <translation>%1 se detuvo; ahora esta ventana ejecuta las programaciones.</translation>
    </message>
    <message>
        <source>No instance answered at %1 (%2); this window runs the schedules.</source>
        <translation>Ninguna instancia respondió en %1 (%2); esta ventana ejecuta las programaciones.</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Quitar…</translation>
    </message>
    <message>
        <source>&amp;Export configuration…</source>
        <translation>&amp;Exportar configuración…</translation>
    </message>
    <message>
        <source>&amp;Import configuration…</source>
        <translation>&amp;Importar configuración…</translation>
    </message>
    <message>
        <source>Save &amp;diagnostics…</source>
        <translation>Guardar &amp;diagnóstico…</translation>
    </message>
    <message>
        <source>A source named &quot;%1&quot; exists already and is not the demo; the demo needs that name. Rename or remove that source first.</source>
        <translation>Ya existe un origen llamado «%1» que no es el de la demostración, y la demostración necesita ese nombre. Cambie el nombre de ese origen o quítelo primero.</translation>
    </message>
    <message>
        <source>Starting the sample RESO server…</source>
        <translation>Iniciando el servidor RESO de ejemplo…</translation>
    </message>
    <message>
        <source>The demo source could not be written: %1</source>
        <translation>No se pudo escribir el origen de demostración: %1</translation>
    </message>
    <message>
        <source>Demo data: a sample RESO server with generated listings runs on %1 while this window is open. The source &quot;%2&quot; syncs it into a local SQLite file every 5 minutes; remove it with Source ▸ Remove… when you are done.</source>
        <translation>Datos de demostración: un servidor RESO de ejemplo con anuncios generados se ejecuta en %1 mientras esta ventana esté abierta. El origen «%2» lo sincroniza en un archivo SQLite local cada 5 minutos; quítelo con Origen ▸ Quitar… cuando termine.</translation>
    </message>
    <message>
        <source>Save diagnostics</source>
        <translation>Guardar diagnóstico</translation>
    </message>
    <message>
        <source>Diagnostics not saved: %1</source>
        <translation>No se guardó el diagnóstico: %1</translation>
    </message>
    <message>
        <source>Diagnostics saved to %1 (%2 files, no secrets). Attach it to your support request.</source>
        <translation>Diagnóstico guardado en %1 (%2 archivos, sin secretos). Adjúntelo a su solicitud de soporte.</translation>
    </message>
    <message>
        <source>The configuration has errors; fix them before exporting it.</source>
        <translation>La configuración tiene errores; corríjalos antes de exportarla.</translation>
    </message>
    <message>
        <source>Export configuration</source>
        <translation>Exportar configuración</translation>
    </message>
    <message>
        <source>Configuration not exported: %1</source>
        <translation>No se exportó la configuración: %1</translation>
    </message>
    <message>
        <source>Configuration exported to %1.</source>
        <translation>Configuración exportada a %1.</translation>
    </message>
    <message>
        <source>Secrets written as text were left out (%1); the import asks for them.</source>
        <translation>Se omitieron los secretos escritos como texto (%1); la importación los pedirá.</translation>
    </message>
    <message>
        <source>Import configuration</source>
        <translation>Importar configuración</translation>
    </message>
    <message>
        <source>Not imported: %1</source>
        <translation>No se importó: %1</translation>
    </message>
    <message>
        <source>Secret left out</source>
        <translation>Secreto omitido</translation>
    </message>
    <message>
        <source>%1 was left out of the export.
Where does this machine keep it? (env:NAME, keychain:KEY or file:PATH)</source>
        <translation>%1 se omitió en la exportación.
¿Dónde lo guarda este equipo? (env:NOMBRE, keychain:CLAVE o file:RUTA)</translation>
    </message>
    <message>
        <source>Replace configuration</source>
        <translation>Reemplazar configuración</translation>
    </message>
    <message>
        <source>Replace the configuration in %1 with the imported one? The current one is kept as %1.bak.</source>
        <translation>¿Reemplazar la configuración de %1 por la importada? La actual se conserva como %1.bak.</translation>
    </message>
    <message>
        <source>Configuration imported from %1.</source>
        <translation>Configuración importada de %1.</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Archivos zip (*.zip)</translation>
    </message>
</context>
<context>
    <name>ors::MessageBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Dismiss message</source>
        <translation>Descartar mensaje</translation>
    </message>
</context>
<context>
    <name>ors::NavigationModel</name>
    <message>
        <source>idle</source>
        <translation>inactivo</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en cola</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en ejecución</translation>
    </message>
    <message>
        <source>last job failed</source>
        <translation>el último trabajo falló</translation>
    </message>
    <message>
        <source>schedules paused</source>
        <translation>programaciones en pausa</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Orígenes</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Programación</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Trabajos</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Bitácora</translation>
    </message>
    <message>
        <source>Jobs (%1)</source>
        <translation>Trabajos (%1)</translation>
    </message>
    <message>
        <source>%1  %2%</source>
        <translation>%1  %2 %</translation>
    </message>
    <message>
        <source>%1: running, %2% done</source>
        <translation>%1: en ejecución, %2 % completado</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>1 job running or queued</source>
        <translation>1 trabajo en ejecución o en cola</translation>
    </message>
    <message>
        <source>%1 jobs running or queued</source>
        <translation>%1 trabajos en ejecución o en cola</translation>
    </message>
</context>
<context>
    <name>ors::PlatformPage</name>
    <message>
        <source>Trestle (CoreLogic)</source>
        <translation>Trestle (CoreLogic)</translation>
    </message>
    <message>
        <source>MLS Grid</source>
        <translation>MLS Grid</translation>
    </message>
    <message>
        <source>Bridge Interactive</source>
        <translation>Bridge Interactive</translation>
    </message>
    <message>
        <source>Spark (FBS)</source>
        <translation>Spark (FBS)</translation>
    </message>
    <message>
        <source>Generic RESO Web API</source>
        <translation>RESO Web API genérica</translation>
    </message>
    <message>
        <source>OAuth2 client credentials; replication through ?replication=true.</source>
        <translation>Credenciales de cliente OAuth2; replicación mediante ?replication=true.</translation>
    </message>
    <message>
        <source>A bearer token; every request names the originating system.</source>
        <translation>Un token bearer; cada solicitud nombra el sistema de origen.</translation>
    </message>
    <message>
        <source>A server token per dataset; replace &lt;dataset&gt; with yours.</source>
        <translation>Un token de servidor por conjunto de datos; reemplace &lt;dataset&gt; por el suyo.</translation>
    </message>
    <message>
        <source>An access token; replication runs on its own host.</source>
        <translation>Un token de acceso; la replicación se ejecuta en su propio host.</translation>
    </message>
    <message>
        <source>Any RESO Web API server: choose how it authenticates on the next page.</source>
        <translation>Cualquier servidor RESO Web API: elija cómo se autentica en la página siguiente.</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plataforma</translation>
    </message>
    <message>
        <source>Name the source and choose the platform that serves it.</source>
        <translation>Nombre el origen y elija la plataforma que lo sirve.</translation>
    </message>
    <message>
        <source>Source name</source>
        <translation>Nombre del origen</translation>
    </message>
    <message>
        <source>e.g. crmls</source>
        <translation>p. ej. crmls</translation>
    </message>
    <message>
        <source>Platform details</source>
        <translation>Detalles de la plataforma</translation>
    </message>
    <message>
        <source>Source &amp;name:</source>
        <translation>Nombre del &amp;origen:</translation>
    </message>
    <message>
        <source>Pages of up to %1 records (%2 with $expand).</source>
        <translation>Páginas de hasta %1 registros (%2 con $expand).</translation>
    </message>
    <message>
        <source>At most %1 requests an hour.</source>
        <translation>Como máximo %1 solicitudes por hora.</translation>
    </message>
    <message>
        <source>Service URL: %1
%2
%3</source>
        <translation>URL del servicio: %1
%2
%3</translation>
    </message>
    <message>
        <source>A source called %1 exists already.</source>
        <translation>Ya existe un origen llamado %1.</translation>
    </message>
</context>
<context>
    <name>ors::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Preferencias</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>Visualización</translation>
    </message>
    <message>
        <source>Display time zone</source>
        <translation>Zona horaria de visualización</translation>
    </message>
    <message>
        <source>The configuration&apos;s time zone (none set: this computer&apos;s)</source>
        <translation>La zona horaria de la configuración (no hay ninguna: la de este equipo)</translation>
    </message>
    <message>
        <source>The configuration&apos;s time zone (%1)</source>
        <translation>La zona horaria de la configuración (%1)</translation>
    </message>
    <message>
        <source>This computer&apos;s time zone (%1)</source>
        <translation>La zona horaria de este equipo (%1)</translation>
    </message>
    <message>
        <source>Time &amp;zone:</source>
        <translation>&amp;Zona horaria:</translation>
    </message>
    <message>
        <source>Times</source>
        <translation>Horas</translation>
    </message>
    <message>
        <source>Relative (4 min ago)</source>
        <translation>Relativas (hace 4 min)</translation>
    </message>
    <message>
        <source>Absolute (10:30)</source>
        <translation>Absolutas (10:30)</translation>
    </message>
    <message>
        <source>&amp;Times:</source>
        <translation>&amp;Horas:</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Ventana</translation>
    </message>
    <message>
        <source>Keep running in the tray when the window is closed or minimized</source>
        <translation>Seguir en ejecución en la bandeja del sistema al cerrar o minimizar la ventana</translation>
    </message>
    <message>
        <source>Minimize to tray</source>
        <translation>Minimizar a la bandeja</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Notificaciones</translation>
    </message>
    <message>
        <source>Failed runs</source>
        <translation>Ejecuciones fallidas</translation>
    </message>
    <message>
        <source>Also late syncs and request limits nearly spent.</source>
        <translation>También sincronizaciones atrasadas y límites de solicitudes casi agotados.</translation>
    </message>
    <message>
        <source>Blocked steps</source>
        <translation>Pasos bloqueados</translation>
    </message>
    <message>
        <source>Recovered</source>
        <translation>Recuperaciones</translation>
    </message>
    <message>
        <source>Refused purges</source>
        <translation>Purgas rechazadas</translation>
    </message>
    <message>
        <source>Notifications come from the configuration&apos;s alerts with a desktop channel.</source>
        <translation>Las notificaciones provienen de las alertas de la configuración que tienen un canal de escritorio.</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>Diagnóstico</translation>
    </message>
    <message>
        <source>Log level</source>
        <translation>Nivel de bitácora</translation>
    </message>
    <message>
        <source>Debug</source>
        <translation>Depuración</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Advertencia</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Of this program&apos;s own messages; what jobs write to the source logs is not changed.</source>
        <translation>De los mensajes propios de este programa; no cambia lo que los trabajos escriben en las bitácoras de los orígenes.</translation>
    </message>
    <message>
        <source>&amp;Log level:</source>
        <translation>Nivel de &amp;bitácora:</translation>
    </message>
</context>
<context>
    <name>ors::ProcessWords</name>
    <message>
        <source>sync</source>
        <translation>sincronización</translation>
    </message>
    <message>
        <source>purge</source>
        <translation>purga</translation>
    </message>
    <message>
        <source>reconcile</source>
        <translation>conciliación</translation>
    </message>
</context>
<context>
    <name>ors::ProgressText</name>
    <message>
        <source>reading $metadata</source>
        <translation>leyendo $metadata</translation>
    </message>
    <message>
        <source>downloading</source>
        <translation>descargando</translation>
    </message>
    <message>
        <source>applying</source>
        <translation>aplicando</translation>
    </message>
    <message>
        <source>done</source>
        <translation>terminado</translation>
    </message>
    <message>
        <source>records</source>
        <translation>registros</translation>
    </message>
    <message>
        <source>records/s</source>
        <translation>registros/s</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>quedan</translation>
    </message>
</context>
<context>
    <name>ors::RecordComparisonModel</name>
    <message>
        <source>error</source>
        <translation>error</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>no encontrado</translation>
    </message>
    <message>
        <source>(no column)</source>
        <translation>(sin columna)</translation>
    </message>
    <message>
        <source>same</source>
        <translation>igual</translation>
    </message>
    <message>
        <source>differs: %1</source>
        <translation>difiere: %1</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Differs from the MLS (%1)</source>
        <translation>Difiere del MLS (%1)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Campo</translation>
    </message>
    <message>
        <source>Compared</source>
        <translation>Comparado</translation>
    </message>
    <message>
        <source>MLS</source>
        <translation>MLS</translation>
    </message>
</context>
<context>
    <name>ors::RecordInspectorPanel</name>
    <message>
        <source>%1 missing</source>
        <translation>falta %1</translation>
    </message>
    <message>
        <source>%1 held, no longer at the MLS</source>
        <translation>%1 guardado, ya no está en el MLS</translation>
    </message>
    <message>
        <source>%1: no such column</source>
        <translation>%1: no existe esa columna</translation>
    </message>
    <message>
        <source>%1: %2 (MLS: %3)</source>
        <translation>%1: %2 (MLS: %3)</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>Recurso</translation>
    </message>
    <message>
        <source>&amp;Resource:</source>
        <translation>R&amp;ecurso:</translation>
    </message>
    <message>
        <source>ListingKey, MemberKey, …</source>
        <translation>ListingKey, MemberKey, …</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>C&amp;lave:</translation>
    </message>
    <message>
        <source>Look up</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Only differences</source>
        <translation>Solo diferencias</translation>
    </message>
    <message>
        <source>Record fields</source>
        <translation>Campos del registro</translation>
    </message>
    <message>
        <source>One row per field: the MLS&apos;s value and each destination&apos;s</source>
        <translation>Una fila por campo: el valor del MLS y el de cada destino</translation>
    </message>
    <message>
        <source>Owned children</source>
        <translation>Hijos propios</translation>
    </message>
    <message>
        <source>Differences of owned children</source>
        <translation>Diferencias de los hijos propios</translation>
    </message>
    <message>
        <source>Choose a resource, type a record&apos;s key and press Look up.</source>
        <translation>Elija un recurso, escriba la clave de un registro y presione Buscar.</translation>
    </message>
    <message>
        <source>Loading %1 %2…</source>
        <translation>Cargando %1 %2…</translation>
    </message>
    <message>
        <source>MLS: %1</source>
        <translation>MLS: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 %2 could not be compared.</source>
        <translation>No se pudo comparar %1 %2.</translation>
    </message>
    <message>
        <source>MLS: error</source>
        <translation>MLS: error</translation>
    </message>
    <message>
        <source>MLS: found</source>
        <translation>MLS: encontrado</translation>
    </message>
    <message>
        <source>MLS: not found</source>
        <translation>MLS: no encontrado</translation>
    </message>
    <message>
        <source>%1: error</source>
        <translation>%1: error</translation>
    </message>
    <message>
        <source>%1: not found</source>
        <translation>%1: no encontrado</translation>
    </message>
    <message>
        <source>%1: same as the MLS</source>
        <translation>%1: igual que en el MLS</translation>
    </message>
    <message>
        <source>%1: fields differing: %2</source>
        <translation>%1: campos distintos: %2</translation>
    </message>
    <message>
        <source>%1: fields differing: %2, owned children differing: %3</source>
        <translation>%1: campos distintos: %2, hijos propios distintos: %3</translation>
    </message>
    <message>
        <source>%1 %2 = %3 · %4</source>
        <translation>%1 %2 = %3 · %4</translation>
    </message>
    <message>
        <source> · </source>
        <translation> · </translation>
    </message>
    <message>
        <source>Child</source>
        <translation>Hijo</translation>
    </message>
    <message>
        <source>MLS</source>
        <translation>MLS</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 · differing: %2</source>
        <translation>%1 · distintos: %2</translation>
    </message>
    <message>
        <source>%1: more differences not listed: %2</source>
        <translation>%1: más diferencias no listadas: %2</translation>
    </message>
    <message>
        <source>No owned children</source>
        <translation>Sin hijos propios</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguna</translation>
    </message>
    <message>
        <source>Record key</source>
        <translation>Clave del registro</translation>
    </message>
</context>
<context>
    <name>ors::RemoveSourceDialog</name>
    <message>
        <source>Remove source %1</source>
        <translation>Quitar el origen %1</translation>
    </message>
    <message>
        <source>Remove source</source>
        <translation>Quitar origen</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; leaves the configuration file; the file as it is now is kept as %2.bak.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; sale del archivo de configuración; el archivo tal como está ahora se guarda como %2.bak.</translation>
    </message>
    <message>
        <source>&amp;Keep its data</source>
        <translation>&amp;Conservar sus datos</translation>
    </message>
    <message>
        <source>Keep its data</source>
        <translation>Conservar sus datos</translation>
    </message>
    <message>
        <source>Its destination tables and its state in the data directory stay; added again under this name, it resumes where it stopped.</source>
        <translation>Sus tablas de destino y su estado en el directorio de datos se quedan; si se vuelve a agregar con este nombre, continúa donde se detuvo.</translation>
    </message>
    <message>
        <source>Also &amp;delete its data in the data directory</source>
        <translation>Borrar también sus &amp;datos en el directorio de datos</translation>
    </message>
    <message>
        <source>Delete its data</source>
        <translation>Borrar sus datos</translation>
    </message>
    <message>
        <source>It has nothing there yet.</source>
        <translation>Todavía no tiene nada allí.</translation>
    </message>
    <message>
        <source>The databases are shared by every source: only this source&apos;s rows go.</source>
        <translation>Todos los orígenes comparten las bases de datos: solo se borran las filas de este origen.</translation>
    </message>
    <message>
        <source>And d&amp;rop its destination tables (the copied records)</source>
        <translation>Y elimina&amp;r sus tablas de destino (los registros copiados)</translation>
    </message>
    <message>
        <source>Drop its destination tables</source>
        <translation>Eliminar sus tablas de destino</translation>
    </message>
    <message>
        <source>kept, another source writes them too: %1 in %2</source>
        <translation>se conservan, otro origen también las escribe: %1 en %2</translation>
    </message>
    <message>
        <source>It has no destination tables.</source>
        <translation>No tiene tablas de destino.</translation>
    </message>
    <message>
        <source>Delete its secrets from the keychain: %1</source>
        <translation>Borrar sus secretos del llavero: %1</translation>
    </message>
    <message>
        <source>Delete its keychain entries</source>
        <translation>Borrar sus entradas del llavero</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>%1 in %2 (destination %3)</source>
        <translation>%1 en %2 (destino %3)</translation>
    </message>
    <message>
        <source>Drop tables of %1</source>
        <translation>Eliminar las tablas de %1</translation>
    </message>
    <message>
        <source>Drop these tables? Every record in them is deleted and cannot be brought back except by syncing again.</source>
        <translation>¿Eliminar estas tablas? Se borran todos sus registros, y solo se pueden recuperar sincronizando de nuevo.</translation>
    </message>
    <message>
        <source>Drop tables</source>
        <translation>Eliminar tablas</translation>
    </message>
    <message>
        <source>&amp;Drop tables</source>
        <translation>&amp;Eliminar tablas</translation>
    </message>
</context>
<context>
    <name>ors::ResourcesPage</name>
    <message>
        <source>Resources</source>
        <translation>Recursos</translation>
    </message>
    <message>
        <source>Tick the resources to copy. Select one to narrow it with a $filter, a $select of fields or an $expand of related records.</source>
        <translation>Marque los recursos que se copiarán. Seleccione uno para acotarlo con un $filter, un $select de campos o un $expand de registros relacionados.</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>Recurso</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>Campos</translation>
    </message>
    <message>
        <source>Related</source>
        <translation>Relacionados</translation>
    </message>
    <message>
        <source>Add resource by name</source>
        <translation>Agregar recurso por nombre</translation>
    </message>
    <message>
        <source>Add a resource by name</source>
        <translation>Agregar un recurso por nombre</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>A&amp;gregar</translation>
    </message>
    <message>
        <source>Add resource</source>
        <translation>Agregar recurso</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filtro</translation>
    </message>
    <message>
        <source>e.g. StandardStatus eq &apos;Active&apos;</source>
        <translation>p. ej. StandardStatus eq &apos;Active&apos;</translation>
    </message>
    <message>
        <source>Search fields</source>
        <translation>Buscar campos</translation>
    </message>
    <message>
        <source>Select fields</source>
        <translation>Seleccionar campos</translation>
    </message>
    <message>
        <source>Expand</source>
        <translation>Expandir</translation>
    </message>
    <message>
        <source>$&amp;filter:</source>
        <translation>$fi&amp;lter:</translation>
    </message>
    <message>
        <source>$&amp;select:</source>
        <translation>$sel&amp;ect:</translation>
    </message>
    <message>
        <source>$e&amp;xpand:</source>
        <translation>$e&amp;xpand:</translation>
    </message>
    <message>
        <source>No $metadata yet: test the connection to list the server&apos;s resources, or add them by name.</source>
        <translation>Aún no hay $metadata: pruebe la conexión para listar los recursos del servidor, o agréguelos por nombre.</translation>
    </message>
    <message>
        <source>1 resource in the server&apos;s $metadata.</source>
        <translation>1 recurso en el $metadata del servidor.</translation>
    </message>
    <message>
        <source>%1 resources in the server&apos;s $metadata.</source>
        <translation>%1 recursos en el $metadata del servidor.</translation>
    </message>
    <message>
        <source>No resource selected.</source>
        <translation>Ningún recurso seleccionado.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>ors::ResourcesTable</name>
    <message>
        <source>Resources</source>
        <translation>Recursos</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <source>Refresh resources</source>
        <translation>Actualizar recursos</translation>
    </message>
    <message>
        <source>Ask the MLS and every destination for their counts and newest records again</source>
        <translation>Vuelve a pedir al MLS y a cada destino sus totales y registros más recientes</translation>
    </message>
    <message>
        <source>Per resource and destination: records and newest timestamp held, beside the MLS&apos;s, and the difference</source>
        <translation>Por recurso y destino: registros y marca de tiempo más reciente guardados, junto a los del MLS, y la diferencia</translation>
    </message>
    <message>
        <source>Not loaded yet</source>
        <translation>Aún no cargado</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>The MLS of %1 could not be asked: %2</source>
        <translation>No se pudo consultar el MLS de %1: %2</translation>
    </message>
    <message>
        <source>checked %1 · times in %2</source>
        <translation>comprobado %1 · horas de %2</translation>
    </message>
    <message>
        <source>Every destination matches the MLS · %1</source>
        <translation>Todos los destinos coinciden con el MLS · %1</translation>
    </message>
    <message>
        <source>Differences: %1 · %2</source>
        <translation>Diferencias: %1 · %2</translation>
    </message>
</context>
<context>
    <name>ors::ResourcesTableModel</name>
    <message>
        <source>%1 → %2: %3</source>
        <translation>%1 → %2: %3</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Destination cannot be opened: %1</source>
        <translation>No se puede abrir el destino: %1</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>no disponible</translation>
    </message>
    <message>
        <source>MLS: %1</source>
        <translation>MLS: %1</translation>
    </message>
    <message>
        <source>MLS newest unknown: %1</source>
        <translation>Lo más reciente del MLS es desconocido: %1</translation>
    </message>
    <message>
        <source>%1 record(s) rejected</source>
        <translation>%1 registro(s) rechazado(s)</translation>
    </message>
    <message>
        <source>Resource</source>
        <translation>Recurso</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Destino</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Registros</translation>
    </message>
    <message>
        <source>MLS records</source>
        <translation>Registros del MLS</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Diferencia</translation>
    </message>
    <message>
        <source>Newest held</source>
        <translation>Más reciente guardado</translation>
    </message>
    <message>
        <source>Newest at the MLS</source>
        <translation>Más reciente en el MLS</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problemas</translation>
    </message>
    <message>
        <source>%1 behind</source>
        <translation>%1 atrasado</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) waiting</source>
        <translation>
            <numerusform>%n archivo en espera</numerusform>
            <numerusform>%n archivos en espera</numerusform>
        </translation>
    </message>
    <message>
        <source>up to date</source>
        <translation>al día</translation>
    </message>
    <message>
        <source>Sync blocked: %1</source>
        <translation>Sincronización bloqueada: %1</translation>
    </message>
    <message>
        <source>Sync failing: %1</source>
        <translation>Sincronización fallando: %1</translation>
    </message>
    <message>
        <source>High-water mark %1; the newest of the source&apos;s destinations %2</source>
        <translation>Marca de avance %1; la más reciente de los destinos del origen %2</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <source>Behind</source>
        <translation>Atraso</translation>
    </message>
</context>
<context>
    <name>ors::ScheduleGridModel</name>
    <message>
        <source>%1, %2–%3</source>
        <translation>%1, %2–%3</translation>
    </message>
    <message>
        <source>%1: this hour does not exist on this day (clocks go forward).</source>
        <translation>%1: esta hora no existe este día (se adelantan los relojes).</translation>
    </message>
    <message>
        <source>%1: no job starts.</source>
        <translation>%1: no empieza ningún trabajo.</translation>
    </message>
    <message>
        <source>%1: 1 job starts.</source>
        <translation>%1: empieza 1 trabajo.</translation>
    </message>
    <message>
        <source>%1: %2 jobs start.</source>
        <translation>%1: empiezan %2 trabajos.</translation>
    </message>
    <message>
        <source>This hour occurs twice on this day (clocks go back).</source>
        <translation>Esta hora ocurre dos veces este día (se atrasan los relojes).</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2, overlaps with %3</source>
        <translation>%1 %2, se superpone con %3</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 a %2</translation>
    </message>
</context>
<context>
    <name>ors::SchedulePage</name>
    <message>
        <source>Schedule</source>
        <translation>Programación</translation>
    </message>
    <message>
        <source>Display time zone</source>
        <translation>Zona horaria de visualización</translation>
    </message>
    <message>
        <source>The time zone the grid&apos;s days and hours and the times below are shown in</source>
        <translation>La zona horaria en la que se muestran los días y horas de la cuadrícula y las horas de abajo</translation>
    </message>
    <message>
        <source>Show times in:</source>
        <translation>Mostrar horas en:</translation>
    </message>
    <message>
        <source>Schedule grid</source>
        <translation>Cuadrícula de programación</translation>
    </message>
    <message>
        <source>Jobs starting in each hour of the next seven days; a warning sign marks overlapping starts</source>
        <translation>Trabajos que empiezan en cada hora de los próximos siete días; un signo de advertencia marca los inicios superpuestos</translation>
    </message>
    <message>
        <source>Selected hour</source>
        <translation>Hora seleccionada</translation>
    </message>
    <message>
        <source>Next 24 hours</source>
        <translation>Próximas 24 horas</translation>
    </message>
    <message>
        <source>Local time (%1)</source>
        <translation>Hora local (%1)</translation>
    </message>
    <message>
        <source>No source has a schedule. Add cron expressions under &quot;schedules&quot; in the configuration.</source>
        <translation>Ningún origen tiene programación. Agregue expresiones cron en &quot;schedules&quot; en la configuración.</translation>
    </message>
    <message>
        <source>%1 schedules of %2 sources; the grid counts the jobs starting in each hour, in %3.</source>
        <translation>%1 programaciones de %2 orígenes; la cuadrícula cuenta los trabajos que empiezan en cada hora, en %3.</translation>
    </message>
    <message>
        <source>⚠ 1 hour this week has jobs starting in the same minute; consider staggering them.</source>
        <translation>⚠ 1 hora de esta semana tiene trabajos que empiezan en el mismo minuto; considere escalonarlos.</translation>
    </message>
    <message>
        <source>⚠ %1 hours this week have jobs starting in the same minute; consider staggering them.</source>
        <translation>⚠ %1 horas de esta semana tienen trabajos que empiezan en el mismo minuto; considere escalonarlos.</translation>
    </message>
    <message>
        <source>Fires often, only the first %1 fires of the week are counted: %2</source>
        <translation>Se dispara a menudo; solo se cuentan los primeros %1 disparos de la semana: %2</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Select an hour in the grid to see which jobs start in it.</source>
        <translation>Seleccione una hora en la cuadrícula para ver qué trabajos empiezan en ella.</translation>
    </message>
</context>
<context>
    <name>ors::ScheduleTimelineModel</name>
    <message>
        <source>%1 (tomorrow)</source>
        <translation>%1 (mañana)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>⚠ overlaps with %1</source>
        <translation>⚠ se superpone con %1</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Time (%1)</source>
        <translation>Hora (%1)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Proceso</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Programación</translation>
    </message>
    <message>
        <source>Overlaps</source>
        <translation>Superposiciones</translation>
    </message>
    <message>
        <source>%1
%2</source>
        <translation>%1
%2</translation>
    </message>
</context>
<context>
    <name>ors::SchedulesPage</name>
    <message>
        <source>Every 15 minutes</source>
        <translation>Cada 15 minutos</translation>
    </message>
    <message>
        <source>Hourly</source>
        <translation>Cada hora</translation>
    </message>
    <message>
        <source>No scheduled sync</source>
        <translation>Sin sincronización programada</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Personalizada</translation>
    </message>
    <message>
        <source>Schedules</source>
        <translation>Programaciones</translation>
    </message>
    <message>
        <source>When the source syncs, purges deleted records and reconciles. Cron text: minute hour day-of-month month day-of-week.</source>
        <translation>Cuándo el origen sincroniza, purga los registros eliminados y concilia. Texto cron: minuto hora día-del-mes mes día-de-la-semana.</translation>
    </message>
    <message>
        <source>Sync preset</source>
        <translation>Programación predefinida de sincronización</translation>
    </message>
    <message>
        <source>Sync schedule</source>
        <translation>Programación de sincronización</translation>
    </message>
    <message>
        <source>Nightly &amp;purge</source>
        <translation>&amp;Purga nocturna</translation>
    </message>
    <message>
        <source>Nightly purge</source>
        <translation>Purga nocturna</translation>
    </message>
    <message>
        <source>Purge schedule</source>
        <translation>Programación de purga</translation>
    </message>
    <message>
        <source>Weekly &amp;reconcile</source>
        <translation>&amp;Conciliación semanal</translation>
    </message>
    <message>
        <source>Weekly reconcile</source>
        <translation>Conciliación semanal</translation>
    </message>
    <message>
        <source>Reconcile schedule</source>
        <translation>Programación de conciliación</translation>
    </message>
    <message>
        <source>Next fire times</source>
        <translation>Próximos disparos</translation>
    </message>
    <message>
        <source>&amp;Sync:</source>
        <translation>S&amp;incronización:</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;: %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;: %2</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; next: %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; próximos: %2</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sincronización</translation>
    </message>
    <message>
        <source>Purge</source>
        <translation>Purga</translation>
    </message>
    <message>
        <source>Reconcile</source>
        <translation>Conciliación</translation>
    </message>
    <message>
        <source>Times in %1.</source>
        <translation>Horas en %1.</translation>
    </message>
    <message>
        <source>%1 at %2 starts with %3</source>
        <translation>%1 a las %2 empieza junto con %3</translation>
    </message>
    <message>
        <source>⚠ Overlaps with other sources&apos; schedules (they compete for the network and the destinations):
</source>
        <translation>⚠ Se superpone con las programaciones de otros orígenes (compiten por la red y los destinos):
</translation>
    </message>
</context>
<context>
    <name>ors::SourceCard</name>
    <message>
        <source>✓ succeeded</source>
        <translation>✓ correcta</translation>
    </message>
    <message>
        <source>✗ failed</source>
        <translation>✗ fallida</translation>
    </message>
    <message>
        <source>✗ refused</source>
        <translation>✗ rechazada</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelada</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en ejecución</translation>
    </message>
    <message>
        <source>did not finish</source>
        <translation>no terminó</translation>
    </message>
    <message>
        <source>Source %1</source>
        <translation>Origen %1</translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation>Progreso de %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>Abrir %1</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>Sync now %1</source>
        <translation>Sincronizar ahora %1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Cancel %1</source>
        <translation>Cancelar %1</translation>
    </message>
    <message>
        <source>%1: never run</source>
        <translation>%1: nunca ejecutada</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 records</source>
        <translation>%1 registros</translation>
    </message>
    <message>
        <source>Started %1</source>
        <translation>Iniciada %1</translation>
    </message>
    <message>
        <source>Finished %1</source>
        <translation>Terminada %1</translation>
    </message>
    <message>
        <source>cancelling</source>
        <translation>cancelando</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en cola</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>bloqueado</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>con fallas</translation>
    </message>
    <message>
        <source>never run</source>
        <translation>nunca ejecutado</translation>
    </message>
    <message>
        <source>idle</source>
        <translation>inactivo</translation>
    </message>
    <message>
        <source>%1 starting</source>
        <translation>%1 iniciando</translation>
    </message>
    <message>
        <source>ETA&#xa0;%1</source>
        <translation>quedan&#xa0;%1</translation>
    </message>
    <message>
        <source>⚠ Blocked: %1 %2 (%3, failed %4 times)</source>
        <translation>⚠ Bloqueado: %1 %2 (%3, falló %4 veces)</translation>
    </message>
    <message>
        <source>⚠ %1 blocked steps, first: %2 %3 (%4)</source>
        <translation>⚠ %1 pasos bloqueados, el primero: %2 %3 (%4)</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sincronización</translation>
    </message>
    <message>
        <source>Purge</source>
        <translation>Purga</translation>
    </message>
    <message>
        <source>Reconcile</source>
        <translation>Conciliación</translation>
    </message>
    <message>
        <source>Next: schedules paused</source>
        <translation>Próxima: programaciones en pausa</translation>
    </message>
    <message>
        <source>Next: %1 at %2</source>
        <translation>Próxima: %1, %2</translation>
    </message>
    <message>
        <source>Next: not scheduled</source>
        <translation>Próxima: sin programar</translation>
    </message>
    <message>
        <source>⚠ Differs from the MLS (checked %1): %2</source>
        <translation>⚠ Difiere del MLS (comprobado %1): %2</translation>
    </message>
    <message>
        <source>Counts taken %1
%2</source>
        <translation>Conteos tomados %1
%2</translation>
    </message>
</context>
<context>
    <name>ors::SourcePage</name>
    <message>
        <source>Sync</source>
        <translation>Sincronización</translation>
    </message>
    <message>
        <source>Purge</source>
        <translation>Purga</translation>
    </message>
    <message>
        <source>Reconcile</source>
        <translation>Conciliación</translation>
    </message>
    <message>
        <source>Sync &amp;now</source>
        <translation>&amp;Sincronizar ahora</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sincronizar ahora</translation>
    </message>
    <message>
        <source>Download what changed since the last sync</source>
        <translation>Descarga lo que cambió desde la última sincronización</translation>
    </message>
    <message>
        <source>&amp;Purge</source>
        <translation>&amp;Purgar</translation>
    </message>
    <message>
        <source>Delete the records the MLS no longer has from the destinations</source>
        <translation>Elimina de los destinos los registros que el MLS ya no tiene</translation>
    </message>
    <message>
        <source>&amp;Reconcile</source>
        <translation>&amp;Conciliar</translation>
    </message>
    <message>
        <source>Fetch the records the destinations are missing or hold out of date</source>
        <translation>Obtiene los registros que les faltan a los destinos o que tienen desactualizados</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>Ca&amp;ncelar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Stop the running job at its next checkpoint and drop the queued ones</source>
        <translation>Detiene el trabajo en curso en su próximo punto de control y quita los que están en cola</translation>
    </message>
    <message>
        <source>Job progress</source>
        <translation>Progreso del trabajo</translation>
    </message>
    <message>
        <source>Schedules</source>
        <translation>Programaciones</translation>
    </message>
    <message>
        <source>Pause schedules</source>
        <translation>Pausar programaciones</translation>
    </message>
    <message>
        <source>Source details</source>
        <translation>Detalles del origen</translation>
    </message>
    <message>
        <source>The resources table and blocked steps appear here.</source>
        <translation>Aquí aparecen la tabla de recursos y los pasos bloqueados.</translation>
    </message>
    <message>
        <source>&amp;Overview</source>
        <translation>&amp;Resumen</translation>
    </message>
    <message>
        <source>The history of all runs appears here.</source>
        <translation>Aquí aparece el historial de todas las ejecuciones.</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;Historial</translation>
    </message>
    <message>
        <source>Charts of runs, durations and counts appear here.</source>
        <translation>Aquí aparecen los gráficos de ejecuciones, duraciones y totales.</translation>
    </message>
    <message>
        <source>C&amp;harts</source>
        <translation>&amp;Gráficos</translation>
    </message>
    <message>
        <source>The record inspector appears here.</source>
        <translation>Aquí aparece el inspector de registros.</translation>
    </message>
    <message>
        <source>Recor&amp;d</source>
        <translation>Regis&amp;tro</translation>
    </message>
    <message>
        <source>No job running.</source>
        <translation>Ningún trabajo en ejecución.</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 · %4</source>
        <translation>%1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <source>1 resource</source>
        <translation>1 recurso</translation>
    </message>
    <message>
        <source>%1 resources</source>
        <translation>%1 recursos</translation>
    </message>
    <message>
        <source>1 destination</source>
        <translation>1 destino</translation>
    </message>
    <message>
        <source>%1 destinations</source>
        <translation>%1 destinos</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Proceso</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Programación</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zona horaria</translation>
    </message>
    <message>
        <source>Next run (%1)</source>
        <translation>Próxima ejecución (%1)</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 in the schedule&apos;s zone</source>
        <translation>%1 en la zona de la programación</translation>
    </message>
    <message>
        <source>No schedules: this source runs only when asked.</source>
        <translation>Sin programaciones: este origen solo se ejecuta cuando se le pide.</translation>
    </message>
    <message>
        <source>Sync queued</source>
        <translation>Sincronización en cola</translation>
    </message>
    <message>
        <source>Purge queued</source>
        <translation>Purga en cola</translation>
    </message>
    <message>
        <source>Reconcile queued</source>
        <translation>Conciliación en cola</translation>
    </message>
    <message>
        <source>A job is queued; it starts when the source and a slot are free.</source>
        <translation>Hay un trabajo en cola; empieza cuando el origen y un espacio estén libres.</translation>
    </message>
    <message>
        <source>Res&amp;ume schedules</source>
        <translation>Reanudar progra&amp;maciones</translation>
    </message>
    <message>
        <source>Pa&amp;use schedules</source>
        <translation>Pausar progra&amp;maciones</translation>
    </message>
    <message>
        <source>Resume schedules</source>
        <translation>Reanudar programaciones</translation>
    </message>
    <message>
        <source>This source&apos;s schedules are paused; manual runs still start.</source>
        <translation>Las programaciones de este origen están en pausa; las ejecuciones manuales sí empiezan.</translation>
    </message>
    <message>
        <source>All schedules are paused (Jobs page).</source>
        <translation>Todas las programaciones están en pausa (página Trabajos).</translation>
    </message>
    <message>
        <source>Schedules active.</source>
        <translation>Programaciones activas.</translation>
    </message>
    <message>
        <source>Cancelling: stopping at the next checkpoint…</source>
        <translation>Cancelando: se detiene en el próximo punto de control…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
</context>
<context>
    <name>ors::SourceWizard</name>
    <message>
        <source>Add source</source>
        <translation>Agregar origen</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <source>Commit</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Finalizar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Ayuda</translation>
    </message>
    <message>
        <source>Edit source %1</source>
        <translation>Editar origen %1</translation>
    </message>
    <message>
        <source>Edit source</source>
        <translation>Editar origen</translation>
    </message>
    <message>
        <source>Writing the configuration…</source>
        <translation>Escribiendo la configuración…</translation>
    </message>
    <message>
        <source>Not written: %1</source>
        <translation>No se escribió: %1</translation>
    </message>
    <message>
        <source>Written to %1</source>
        <translation>Escrito en %1</translation>
    </message>
</context>
<context>
    <name>ors::SummaryPage</name>
    <message>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <source>The source as it will be written. Secrets appear only as references.</source>
        <translation>El origen tal como se escribirá. Los secretos aparecen solo como referencias.</translation>
    </message>
    <message>
        <source>Where it is written</source>
        <translation>Dónde se escribe</translation>
    </message>
    <message>
        <source>Configuration to be written</source>
        <translation>Configuración que se escribirá</translation>
    </message>
    <message>
        <source>&amp;Run the first sync when done</source>
        <translation>&amp;Ejecutar la primera sincronización al terminar</translation>
    </message>
    <message>
        <source>Run the first sync</source>
        <translation>Ejecutar la primera sincronización</translation>
    </message>
    <message>
        <source>Write status</source>
        <translation>Estado de la escritura</translation>
    </message>
    <message>
        <source>Finish checks the whole configuration and writes it to %1; the previous file is kept as %1.bak.</source>
        <translation>Finalizar comprueba toda la configuración y la escribe en %1; el archivo anterior se conserva como %1.bak.</translation>
    </message>
    <message>
        <source>&amp;Run a sync when done</source>
        <translation>&amp;Ejecutar una sincronización al terminar</translation>
    </message>
</context>
<context>
    <name>ors::TestConnectionPage</name>
    <message>
        <source>Secrets</source>
        <translation>Secretos</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Inicio de sesión</translation>
    </message>
    <message>
        <source>$metadata</source>
        <translation>$metadata</translation>
    </message>
    <message>
        <source>Quota headers</source>
        <translation>Encabezados de cuota</translation>
    </message>
    <message>
        <source>First page of %1</source>
        <translation>Primera página de %1</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Probar conexión</translation>
    </message>
    <message>
        <source>Signs in, reads $metadata and one small page of each chosen resource. Nothing is written; the secrets stay in memory.</source>
        <translation>Inicia sesión, lee $metadata y una página pequeña de cada recurso elegido. No se escribe nada; los secretos quedan en memoria.</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Probar conexión</translation>
    </message>
    <message>
        <source>Test steps</source>
        <translation>Pasos de la prueba</translation>
    </message>
    <message>
        <source>&amp;Continue anyway, without a successful test</source>
        <translation>&amp;Continuar de todos modos, sin una prueba correcta</translation>
    </message>
    <message>
        <source>Continue anyway</source>
        <translation>Continuar de todos modos</translation>
    </message>
    <message>
        <source>Press Test connection.</source>
        <translation>Presione Probar conexión.</translation>
    </message>
    <message>
        <source>Testing %1…</source>
        <translation>Probando %1…</translation>
    </message>
    <message>
        <source>info</source>
        <translation>info</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>falló</translation>
    </message>
    <message>
        <source>%1: %2 — %3</source>
        <translation>%1: %2 — %3</translation>
    </message>
    <message>
        <source>The connection works.</source>
        <translation>La conexión funciona.</translation>
    </message>
    <message>
        <source>1 step failed: fix the connection and test again, or continue anyway.</source>
        <translation>Falló 1 paso: corrija la conexión y vuelva a probar, o continúe de todos modos.</translation>
    </message>
    <message>
        <source>%1 steps failed: fix the connection and test again, or continue anyway.</source>
        <translation>Fallaron %1 pasos: corrija la conexión y vuelva a probar, o continúe de todos modos.</translation>
    </message>
</context>
<context>
    <name>ors::TrayIcon</name>
    <message>
        <source>OpenReSync tray menu</source>
        <translation>Menú de OpenReSync en la bandeja</translation>
    </message>
    <message>
        <source>Sync all</source>
        <translation>Sincronizar todo</translation>
    </message>
    <message>
        <source>Pause schedules</source>
        <translation>Pausar programaciones</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
    <message>
        <source>%1: %2 %3%</source>
        <translation>%1: %2 %3 %</translation>
    </message>
    <message>
        <source>%1: %2 running</source>
        <translation>%1: %2 en ejecución</translation>
    </message>
    <message>
        <source>%1: queued</source>
        <translation>%1: en cola</translation>
    </message>
    <message>
        <source>%1: blocked</source>
        <translation>%1: bloqueado</translation>
    </message>
    <message>
        <source>%1: last run failed</source>
        <translation>%1: la última ejecución falló</translation>
    </message>
    <message>
        <source>%1: paused</source>
        <translation>%1: en pausa</translation>
    </message>
    <message>
        <source>%1: idle</source>
        <translation>%1: inactivo</translation>
    </message>
    <message>
        <source>OpenReSync</source>
        <translation>OpenReSync</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: starting</source>
        <translation>%1: iniciando</translation>
    </message>
    <message>
        <source>No job running; schedules paused</source>
        <translation>Ningún trabajo en ejecución; programaciones en pausa</translation>
    </message>
    <message>
        <source>No job running</source>
        <translation>Ningún trabajo en ejecución</translation>
    </message>
    <message>
        <source>Needs attention: %1</source>
        <translation>Requiere atención: %1</translation>
    </message>
    <message>
        <source>Resume schedules</source>
        <translation>Reanudar programaciones</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>Falló: %1</translation>
    </message>
    <message>
        <source>%1: a step is blocked</source>
        <translation>%1: un paso está bloqueado</translation>
    </message>
    <message>
        <source>%1 recovered</source>
        <translation>%1 se recuperó</translation>
    </message>
    <message>
        <source>%1: purge refused</source>
        <translation>%1: purga rechazada</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>source, process</comment>
        <translation>%2 de %1</translation>
    </message>
</context>
</TS>
