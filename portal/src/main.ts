// The portal's entry: page styles and the shell; every page is a lazy chunk (app/router.ts).
import './styles.css';
import './app/orchestrator-app.js';
