// A worker that cannot start (a broken install): it complains and exits before saying it is ready.
process.stderr.write('Error: Cannot find module ./missing-handler.js\n')
process.exit(3)
