/** A shop on a developer's machine: the test cards and the mail log are worth pointing at. */
export const onDevelopmentMachine = ['localhost', '127.0.0.1'].includes(window.location.hostname);
