import { contextBridge, ipcRenderer } from 'electron';
import { createSesameApi } from './bridge-api.js';

// Runs sandboxed before the window's page: exposes the contract as window.sesame, nothing more.
contextBridge.exposeInMainWorld('sesame', createSesameApi(ipcRenderer));
