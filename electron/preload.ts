// The only bridge between the sandboxed renderer and the main process: a typed `invoke`
// and `subscribe`. It is bundled to CommonJS because a sandboxed preload cannot load ESM.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const api = {
  invoke(method: string, input: unknown, sessionToken: string | null): Promise<unknown> {
    return ipcRenderer.invoke('oip:rpc', { method, input, sessionToken });
  },
  subscribe(topic: string, listener: (payload: unknown) => void): () => void {
    const channel = `oip:event:${topic}`;
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    ipcRenderer.send('oip:subscribe', topic);
    return () => ipcRenderer.removeListener(channel, wrapped);
  },
};

contextBridge.exposeInMainWorld('oip', api);
