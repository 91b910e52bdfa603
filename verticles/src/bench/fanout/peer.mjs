// The peer: a minimal socket.io server doing the same broadcast (join a room, the facilitator's
// announcement event goes to everyone in it), without authentication, persistence or sequencing.
// Prints its port on the first line.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => {
  socket.join('lab');
  socket.on('announce', (event) => io.to('lab').emit('event', event));
});
http.listen(0, '127.0.0.1', () => console.log(http.address().port));
