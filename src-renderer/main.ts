import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import Bench from './components/Bench.svelte';

const bench = new URLSearchParams(location.search).get('bench');
const target = document.getElementById('app')!;
mount(bench ? Bench : App, { target, props: bench ? { nodes: Number(bench) } : {} });
